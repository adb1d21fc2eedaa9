//! Monitoring after the plan is final: progress updates on each milestone of a
//! final commitment (status on the IRM completion scale, a narrative, dated
//! evidence), reviewed by the team before they become the milestone's public
//! history, and the public tracking panel built from them.
use serde::{Deserialize, Serialize};

pub use crate::irm::Progress;

/// A commitment's completion from its milestones' last published statuses
/// (`None` for a milestone without one): the level on the same scale and the
/// percentage done.
pub fn completion(milestones: &[Option<Progress>]) -> (Progress, u32) {
    let known: Vec<Progress> = milestones.iter().flatten().copied().collect();
    if milestones.is_empty() || known.is_empty() {
        return (Progress::NoEvidence, 0);
    }
    let total: u32 = milestones
        .iter()
        .map(|m| m.map_or(0, Progress::score))
        .sum();
    let percent = total * 100 / (3 * milestones.len() as u32);
    let level = if known.len() == milestones.len() && known.iter().all(|p| *p == Progress::Complete)
    {
        Progress::Complete
    } else if percent >= 50 {
        Progress::Substantial
    } else if percent > 0 {
        Progress::Limited
    } else {
        Progress::NotStarted
    };
    (level, percent)
}

/// Where a final commitment stands: its completion from the last published
/// status of each milestone, how many milestones have one, and when the last
/// was published (UTC seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub level: Progress,
    pub percent: u32,
    pub reported: usize,
    pub milestones: usize,
    pub last_at: Option<i64>,
}

/// Each milestone's last published status, from `statuses` (commitment,
/// milestone key, progress, published at; oldest first).
pub fn standing(
    commitment_id: i64,
    milestone_keys: &[&str],
    statuses: &[(i64, String, Progress, i64)],
) -> Standing {
    let mut last: std::collections::HashMap<&str, (Progress, i64)> = Default::default();
    for s in statuses.iter().filter(|s| s.0 == commitment_id) {
        last.insert(s.1.as_str(), (s.2, s.3));
    }
    let levels: Vec<Option<Progress>> = milestone_keys
        .iter()
        .map(|k| last.get(k).map(|s| s.0))
        .collect();
    let (level, percent) = completion(&levels);
    Standing {
        level,
        percent,
        reported: levels.iter().flatten().count(),
        milestones: milestone_keys.len(),
        last_at: last.values().map(|s| s.1).max(),
    }
}

/// Where an update is: waiting for the team, published (for good), or sent
/// back to its agency with a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateState {
    Submitted,
    Published,
    Returned,
}

impl UpdateState {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateState::Submitted => "submitted",
            UpdateState::Published => "published",
            UpdateState::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> UpdateState {
        match s {
            "published" => UpdateState::Published,
            "returned" => UpdateState::Returned,
            _ => UpdateState::Submitted,
        }
    }
}

/// A piece of evidence: a link, or a file kept by the platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: i64,
    pub title: String,
    /// The date the evidence is about (ISO).
    pub dated_on: String,
    /// A link given by the agency.
    pub url: Option<String>,
    /// An uploaded file: its name and size, downloaded at `/evidence/:id`.
    pub file: Option<(String, i64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneUpdate {
    pub id: i64,
    pub milestone_key: String,
    pub progress: Progress,
    pub narrative: String,
    pub state: UpdateState,
    pub return_reason: String,
    /// The agency it was filed for (or the team's name for its own).
    pub filed_by: String,
    pub filed_on: String,
    pub published_on: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// One milestone of a final sheet with its public history, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneProgress {
    pub key: String,
    pub title: String,
    pub ends_on: String,
    pub progress: Option<Progress>,
    pub history: Vec<MilestoneUpdate>,
}

/// A final commitment's monitoring page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Monitoring {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub process_slug: String,
    pub process_title: String,
    pub agencies: Vec<String>,
    pub completion: Progress,
    pub percent: u32,
    pub milestones: Vec<MilestoneProgress>,
    /// Updates not yet published: for the team and the lead agencies only.
    pub pending: Vec<MilestoneUpdate>,
    pub followups: Vec<FollowUp>,
    pub can_file: bool,
    pub can_review: bool,
}

/// A follow-up meeting held with the participants on a commitment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: i64,
    pub held_on: String,
    pub attendees: i64,
    pub organizations: String,
    pub minutes: String,
}

/// A commitment as a card on the tracking panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelCard {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub axis: String,
    pub agencies: Vec<String>,
    pub completion: Progress,
    pub percent: u32,
    /// Milestones with a published status, of all milestones.
    pub milestones_reported: usize,
    pub milestones: usize,
    pub last_update: Option<String>,
    /// The monitoring body's published evaluation: completion and whether it
    /// opened government, under the body's name.
    pub evaluation: Option<(Progress, crate::evaluation::model::OpenedGovernment, String)>,
}

/// The public tracking panel of a process: every final commitment in a column
/// by completion, after the filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub process_slug: String,
    pub process_title: String,
    pub columns: Vec<(Progress, Vec<PanelCard>)>,
    pub axes: Vec<(i64, String)>,
    pub agencies: Vec<(i64, String)>,
    /// The plan's completion (percent) at the end of each month with updates.
    pub over_time: Vec<(String, u32)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PanelFilter {
    #[serde(default)]
    pub axis: Option<i64>,
    #[serde(default)]
    pub agency: Option<i64>,
    #[serde(default)]
    pub status: Option<String>,
}

/// Why a milestone needs its agency's attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attention {
    /// Its end date has passed and it is not complete.
    Overdue,
    /// It ends within the next month.
    Due,
    /// No progress published within the reminder cadence.
    Stale,
}

impl Attention {
    pub fn as_str(self) -> &'static str {
        match self {
            Attention::Overdue => "overdue",
            Attention::Due => "due",
            Attention::Stale => "stale",
        }
    }
}

/// Days ahead in which a milestone's end counts as due.
pub const DUE_WITHIN_DAYS: i64 = 30;
/// The reminder cadence when the team set none: monthly.
pub const DEFAULT_CADENCE_DAYS: i64 = 30;

/// Whether a milestone needs attention, from its end date, its last published
/// status and when that was published (ISO dates compare as text): nothing
/// for a complete one.
pub fn attention(
    ends_on: &str,
    last: Option<(Progress, &str)>,
    today: &str,
    due_before: &str,
    stale_before: &str,
) -> Option<Attention> {
    if last.is_some_and(|(p, _)| p == Progress::Complete) {
        return None;
    }
    if !ends_on.is_empty() && ends_on < today {
        Some(Attention::Overdue)
    } else if !ends_on.is_empty() && ends_on <= due_before {
        Some(Attention::Due)
    } else if last.is_none_or(|(_, on)| on < stale_before) {
        Some(Attention::Stale)
    } else {
        None
    }
}

/// A milestone that needs attention, on the monitoring overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttentionItem {
    pub commitment_id: i64,
    pub code: String,
    pub milestone: String,
    pub ends_on: String,
    pub agencies: Vec<String>,
    pub attention: Attention,
    pub last_update: Option<String>,
}

/// What needs attention: the milestones of the person's agencies (of every
/// agency, for the team), the agencies that have not reported within their
/// process's cadence, and (for the team) each process's cadence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub items: Vec<AttentionItem>,
    /// (agency, date of its last published update)
    pub silent_agencies: Vec<(String, Option<String>)>,
    /// (process slug, title, reminder cadence in days), for the team.
    pub cadences: Vec<(String, String, i64)>,
    pub is_team: bool,
}

pub const NARRATIVE_MAX: usize = 4000;
pub const MINUTES_MAX: usize = 10_000;
pub const ORGANIZATIONS_MAX: usize = 1000;
pub const REASON_MAX: usize = 1000;
pub const EVIDENCE_TITLE_MAX: usize = 200;
pub const URL_MAX: usize = 2000;
/// Files per update, and the size of each.
pub const FILES_MAX: usize = 3;
pub const FILE_BYTES_MAX: usize = 10 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;
    use Progress::*;

    #[test]
    fn completion_follows_the_milestones() {
        assert_eq!(completion(&[]), (NoEvidence, 0));
        assert_eq!(completion(&[None, None]), (NoEvidence, 0));
        assert_eq!(completion(&[Some(NotStarted), None]), (NotStarted, 0));
        assert_eq!(completion(&[Some(Limited), None]), (Limited, 16));
        assert_eq!(completion(&[Some(Complete), None]), (Substantial, 50));
        assert_eq!(
            completion(&[Some(Complete), Some(Substantial)]),
            (Substantial, 83)
        );
        assert_eq!(
            completion(&[Some(Complete), Some(Complete)]),
            (Complete, 100)
        );
    }

    #[test]
    fn attention_goes_to_what_is_late_near_or_silent() {
        let at = |ends, last| attention(ends, last, "2026-06-10", "2026-07-10", "2026-05-11");
        assert_eq!(at("2026-06-01", None), Some(Attention::Overdue));
        assert_eq!(
            at("2026-06-01", Some((Substantial, "2026-06-09"))),
            Some(Attention::Overdue)
        );
        assert_eq!(at("2026-06-01", Some((Complete, "2026-04-01"))), None);
        assert_eq!(
            at("2026-07-01", Some((Limited, "2026-06-09"))),
            Some(Attention::Due)
        );
        assert_eq!(at("2026-12-01", Some((Limited, "2026-06-09"))), None);
        assert_eq!(
            at("2026-12-01", Some((Limited, "2026-05-01"))),
            Some(Attention::Stale)
        );
        assert_eq!(at("", None), Some(Attention::Stale));
    }
}
