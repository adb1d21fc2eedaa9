//! The figures of a co-creation report.
use crate::accounts::model::Sector;
use crate::commitments::model::Outcome;
use crate::feasibility::model::Verdict;
use crate::monitoring::model::Progress;
use serde::{Deserialize, Serialize};

/// A proposer or participant's sector: that of their organization, or a
/// person taking part on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Side {
    Sector(Sector),
    Individual,
}

/// In open data a side is its name: `academia`, `individual`…
impl From<Side> for String {
    fn from(s: Side) -> String {
        s.as_str().to_string()
    }
}

impl TryFrom<String> for Side {
    type Error = String;
    fn try_from(s: String) -> Result<Side, String> {
        if s == "individual" {
            return Ok(Side::Individual);
        }
        Sector::parse(&s).map(Side::Sector).ok_or(s)
    }
}

impl Side {
    pub fn key(self) -> String {
        match self {
            Side::Sector(s) => format!("sector.{}", s.as_str()),
            Side::Individual => "cocreation.individual".to_string(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Sector(s) => s.as_str(),
            Side::Individual => "individual",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgencyFigures {
    pub agency: String,
    /// Proposals routed to it (reassigned ones left out).
    pub assigned: i64,
    /// Its published answers per verdict, in `Verdict::ALL`'s order.
    pub verdicts: Vec<(Verdict, i64)>,
}

/// An organization that took part: credited on a proposal, attending through
/// a member, or endorsing the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub sector: Sector,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub process_slug: String,
    pub process_title: String,
    /// Local date the figures were computed, `YYYY-MM-DD`.
    pub computed_on: String,
    pub proposals: i64,
    pub proposals_by_axis: Vec<(String, i64)>,
    pub proposals_by_side: Vec<(Side, i64)>,
    /// Proposals with at least one published answer.
    pub answered: i64,
    pub agencies: Vec<AgencyFigures>,
    pub roundtables_held: i64,
    pub followup_meetings: i64,
    pub attendees: i64,
    pub groups: Vec<Group>,
    pub people: i64,
    pub people_by_side: Vec<(Side, i64)>,
    pub draft_comments: i64,
    pub draft_comments_by_outcome: Vec<(Outcome, i64)>,
    pub draft_comments_unanswered: i64,
    pub commitments: i64,
    /// Each final milestone's last published status (none: no evidence yet),
    /// in `Progress::ALL`'s order.
    pub milestones_by_status: Vec<(Progress, i64)>,
}

impl Report {
    pub fn public_meetings(&self) -> i64 {
        self.roundtables_held + self.followup_meetings
    }

    /// The names of the participating groups per sector, in `Sector::ALL`'s order.
    pub fn groups_by_sector(&self) -> Vec<(Sector, Vec<String>)> {
        Sector::ALL
            .iter()
            .map(|s| {
                let names = self
                    .groups
                    .iter()
                    .filter(|g| g.sector == *s)
                    .map(|g| g.name.clone());
                (*s, names.collect::<Vec<_>>())
            })
            .filter(|(_, g)| !g.is_empty())
            .collect()
    }
}

/// Counts per side, in a fixed order (sectors, then individuals), zeros left out.
pub fn by_side(sides: impl IntoIterator<Item = Side>) -> Vec<(Side, i64)> {
    let mut counts: std::collections::BTreeMap<Side, i64> = Default::default();
    for s in sides {
        *counts.entry(s).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// A person's side: the sector of their first organization, if any.
pub fn side_of(sectors: &[Sector]) -> Side {
    sectors
        .first()
        .map_or(Side::Individual, |s| Side::Sector(*s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_count_sectors_first_then_individuals() {
        let counts = by_side([
            Side::Individual,
            Side::Sector(Sector::Academia),
            Side::Sector(Sector::CivilSociety),
            Side::Individual,
        ]);
        assert_eq!(
            counts,
            vec![
                (Side::Sector(Sector::CivilSociety), 1),
                (Side::Sector(Sector::Academia), 1),
                (Side::Individual, 2)
            ]
        );
        assert_eq!(side_of(&[]), Side::Individual);
        assert_eq!(
            side_of(&[Sector::Academia, Sector::CivilSociety]),
            Side::Sector(Sector::Academia)
        );
    }
}
