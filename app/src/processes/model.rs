//! Co-creation processes: an action plan's process with its thematic axes and the
//! dates of each stage.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Intake,
    Feasibility,
    Roundtables,
    Drafting,
    Comment,
    Monitoring,
}

impl Stage {
    /// In the order they run.
    pub const ALL: [Stage; 6] = [
        Stage::Intake,
        Stage::Feasibility,
        Stage::Roundtables,
        Stage::Drafting,
        Stage::Comment,
        Stage::Monitoring,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Intake => "intake",
            Stage::Feasibility => "feasibility",
            Stage::Roundtables => "roundtables",
            Stage::Drafting => "drafting",
            Stage::Comment => "comment",
            Stage::Monitoring => "monitoring",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("stage.{}", self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageDates {
    pub stage: Stage,
    /// `YYYY-MM-DD`, inclusive.
    pub starts_on: String,
    /// `YYYY-MM-DD`, inclusive.
    pub ends_on: String,
}

/// Where a process stands on a given day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub current: Option<StageDates>,
    pub next: Option<StageDates>,
}

impl Timeline {
    /// `stages` in any order; `today` as `YYYY-MM-DD` (ISO dates compare as text).
    pub fn on(stages: &[StageDates], today: &str) -> Timeline {
        let mut sorted = stages.to_vec();
        sorted.sort_by(|a, b| a.starts_on.cmp(&b.starts_on));
        let current = sorted
            .iter()
            .rev()
            .find(|s| s.starts_on.as_str() <= today && today <= s.ends_on.as_str())
            .cloned();
        let next = sorted
            .iter()
            .find(|s| s.starts_on.as_str() > today)
            .cloned();
        Timeline { current, next }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessSummary {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub timeline: Timeline,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessDetail {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub axes: Vec<Axis>,
    pub stages: Vec<StageDates>,
    pub timeline: Timeline,
    /// The viewer is on the team, so the page links to the team's tools.
    pub can_route: bool,
    /// Filled for the process page only.
    pub figures: ProcessFigures,
    /// The action plan's commitments past their draft (process page only).
    pub plan: Vec<crate::commitments::model::CommitmentSummary>,
}

/// The process in numbers, for public accountability.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessFigures {
    /// Proposals received and still public.
    pub proposals: i64,
    /// Proposals with at least one published answer.
    pub answered: i64,
    /// Public meetings held: roundtables closed or past their time, and the
    /// follow-up meetings of the plan's monitoring.
    pub public_meetings: i64,
    /// Attendance taken at those meetings.
    pub attendees: i64,
}

/// The axes of a process a person follows (told when a roundtable on one
/// is scheduled).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxisFollowing {
    pub signed_in: bool,
    pub axes: Vec<Axis>,
    pub followed: Vec<i64>,
}

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5000;
pub const AXIS_MAX: usize = 120;
pub const AXES_MAX: usize = 30;

/// A URL-safe slug from a title: lower-case ASCII letters, digits and dashes.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            'ñ' | 'Ñ' => 'n',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(stage: Stage, a: &str, b: &str) -> StageDates {
        StageDates {
            stage,
            starts_on: a.into(),
            ends_on: b.into(),
        }
    }

    #[test]
    fn timeline_finds_current_and_next() {
        let stages = vec![
            s(Stage::Feasibility, "2021-04-01", "2021-04-30"),
            s(Stage::Intake, "2021-03-01", "2021-03-31"),
        ];
        let t = Timeline::on(&stages, "2021-03-15");
        assert_eq!(t.current.unwrap().stage, Stage::Intake);
        assert_eq!(t.next.unwrap().stage, Stage::Feasibility);
        let t = Timeline::on(&stages, "2021-05-01");
        assert!(t.current.is_none() && t.next.is_none());
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slugify("Plan de Acción 2021-2023: ¡Gobierno Abierto!"),
            "plan-de-accion-2021-2023-gobierno-abierto"
        );
    }
}
