//! Commitment sheets (the OGP commitment template) and their versions. Shared by
//! server and browser.
use serde::{Deserialize, Serialize};

/// A milestone of a commitment. `key` stays the same across versions, so what
/// refers to a milestone (a comment) still finds it after edits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub key: String,
    pub title: String,
    pub output: String,
    pub starts_on: String,
    pub ends_on: String,
    pub responsible: String,
}

/// Every field of the OGP commitment template, as one version holds them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sheet {
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub lead_agency: String,
    /// Who answers for it: a name and position, never an email address.
    pub contact: String,
    pub problem: String,
    pub causes: String,
    pub status_quo: String,
    pub done_so_far: String,
    pub solution: String,
    pub expected_results: String,
    /// The OGP values it advances (see `OGP_VALUES`).
    pub values: Vec<String>,
    pub transparency: String,
    pub participation: String,
    pub accountability: String,
    pub milestones: Vec<Milestone>,
    pub actors_government: String,
    pub actors_civil_society: String,
    pub actors_private_sector: String,
    pub actors_multilaterals: String,
    pub policy_area: String,
    pub sector: String,
    pub sdgs: String,
    /// The last milestone key number handed out, so a removed milestone's key
    /// (and the comments on it) never passes to a new one.
    pub milestone_seq: u64,
}

/// One text field of the sheet: its name, whether it takes long text, its form
/// input name, its catalog label, and the template section it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct SheetField {
    pub name: &'static str,
    pub long: bool,
    pub input: &'static str,
    pub label: &'static str,
    pub section: &'static str,
}

const fn field(
    name: &'static str,
    long: bool,
    input: &'static str,
    label: &'static str,
    section: &'static str,
) -> SheetField {
    SheetField {
        name,
        long,
        input,
        label,
        section,
    }
}

/// The sheet's text fields in the template's order.
pub const TEXT_FIELDS: [SheetField; 21] = [
    field(
        "title",
        false,
        "sheet[title]",
        "sheet.title",
        "sheet.section.general",
    ),
    field(
        "starts_on",
        false,
        "sheet[starts_on]",
        "sheet.starts_on",
        "sheet.section.general",
    ),
    field(
        "ends_on",
        false,
        "sheet[ends_on]",
        "sheet.ends_on",
        "sheet.section.general",
    ),
    field(
        "lead_agency",
        false,
        "sheet[lead_agency]",
        "sheet.lead_agency",
        "sheet.section.general",
    ),
    field(
        "contact",
        false,
        "sheet[contact]",
        "sheet.contact",
        "sheet.section.general",
    ),
    field(
        "problem",
        true,
        "sheet[problem]",
        "sheet.problem",
        "sheet.section.problem",
    ),
    field(
        "causes",
        true,
        "sheet[causes]",
        "sheet.causes",
        "sheet.section.problem",
    ),
    field(
        "status_quo",
        true,
        "sheet[status_quo]",
        "sheet.status_quo",
        "sheet.section.problem",
    ),
    field(
        "done_so_far",
        true,
        "sheet[done_so_far]",
        "sheet.done_so_far",
        "sheet.section.description",
    ),
    field(
        "solution",
        true,
        "sheet[solution]",
        "sheet.solution",
        "sheet.section.description",
    ),
    field(
        "expected_results",
        true,
        "sheet[expected_results]",
        "sheet.expected_results",
        "sheet.section.description",
    ),
    field(
        "transparency",
        true,
        "sheet[transparency]",
        "sheet.transparency",
        "sheet.section.analysis",
    ),
    field(
        "participation",
        true,
        "sheet[participation]",
        "sheet.participation",
        "sheet.section.analysis",
    ),
    field(
        "accountability",
        true,
        "sheet[accountability]",
        "sheet.accountability",
        "sheet.section.analysis",
    ),
    field(
        "actors_government",
        false,
        "sheet[actors_government]",
        "sheet.actors_government",
        "sheet.section.actors",
    ),
    field(
        "actors_civil_society",
        false,
        "sheet[actors_civil_society]",
        "sheet.actors_civil_society",
        "sheet.section.actors",
    ),
    field(
        "actors_private_sector",
        false,
        "sheet[actors_private_sector]",
        "sheet.actors_private_sector",
        "sheet.section.actors",
    ),
    field(
        "actors_multilaterals",
        false,
        "sheet[actors_multilaterals]",
        "sheet.actors_multilaterals",
        "sheet.section.actors",
    ),
    field(
        "policy_area",
        false,
        "sheet[policy_area]",
        "sheet.policy_area",
        "sheet.section.additional",
    ),
    field(
        "sector",
        false,
        "sheet[sector]",
        "sheet.sector",
        "sheet.section.additional",
    ),
    field(
        "sdgs",
        false,
        "sheet[sdgs]",
        "sheet.sdgs",
        "sheet.section.additional",
    ),
];

/// The template's sections in order, each with its text fields (the title
/// heads the sheet and is left out).
pub fn sections() -> Vec<(&'static str, Vec<SheetField>)> {
    let mut sections: Vec<(&'static str, Vec<SheetField>)> = Vec::new();
    for f in TEXT_FIELDS.into_iter().filter(|f| f.name != "title") {
        match sections.last_mut() {
            Some((section, fields)) if *section == f.section => fields.push(f),
            _ => sections.push((f.section, vec![f])),
        }
    }
    sections
}

pub const OGP_VALUES: [&str; 4] = [
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
];

impl Sheet {
    /// A text field by name.
    pub fn text(&self, field: &str) -> Option<&str> {
        Some(match field {
            "title" => &self.title,
            "starts_on" => &self.starts_on,
            "ends_on" => &self.ends_on,
            "lead_agency" => &self.lead_agency,
            "contact" => &self.contact,
            "problem" => &self.problem,
            "causes" => &self.causes,
            "status_quo" => &self.status_quo,
            "done_so_far" => &self.done_so_far,
            "solution" => &self.solution,
            "expected_results" => &self.expected_results,
            "transparency" => &self.transparency,
            "participation" => &self.participation,
            "accountability" => &self.accountability,
            "actors_government" => &self.actors_government,
            "actors_civil_society" => &self.actors_civil_society,
            "actors_private_sector" => &self.actors_private_sector,
            "actors_multilaterals" => &self.actors_multilaterals,
            "policy_area" => &self.policy_area,
            "sector" => &self.sector,
            "sdgs" => &self.sdgs,
            _ => return None,
        })
    }

    /// Sets a text field by name; false if there is no such field.
    pub fn set_text(&mut self, field: &str, value: String) -> bool {
        let slot = match field {
            "title" => &mut self.title,
            "starts_on" => &mut self.starts_on,
            "ends_on" => &mut self.ends_on,
            "lead_agency" => &mut self.lead_agency,
            "contact" => &mut self.contact,
            "problem" => &mut self.problem,
            "causes" => &mut self.causes,
            "status_quo" => &mut self.status_quo,
            "done_so_far" => &mut self.done_so_far,
            "solution" => &mut self.solution,
            "expected_results" => &mut self.expected_results,
            "transparency" => &mut self.transparency,
            "participation" => &mut self.participation,
            "accountability" => &mut self.accountability,
            "actors_government" => &mut self.actors_government,
            "actors_civil_society" => &mut self.actors_civil_society,
            "actors_private_sector" => &mut self.actors_private_sector,
            "actors_multilaterals" => &mut self.actors_multilaterals,
            "policy_area" => &mut self.policy_area,
            "sector" => &mut self.sector,
            "sdgs" => &mut self.sdgs,
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// The board-2 column (by position) whose notes feed each field of the sheet.
pub fn source_column(field: &str) -> Option<usize> {
    Some(match field {
        "problem" => 0,
        "causes" => 1,
        "solution" => 2,
        "expected_results" => 3,
        "transparency" | "participation" | "accountability" => 4,
        "actors_government"
        | "actors_civil_society"
        | "actors_private_sector"
        | "actors_multilaterals" => 6,
        _ => return None,
    })
}

/// Board 2's column of milestones.
pub const MILESTONE_COLUMN: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetState {
    Draft,
    /// Published for a comment period.
    Comment,
    Final,
}

impl SheetState {
    pub fn as_str(self) -> &'static str {
        match self {
            SheetState::Draft => "draft",
            SheetState::Comment => "comment",
            SheetState::Final => "final",
        }
    }

    pub fn parse(s: &str) -> SheetState {
        match s {
            "comment" => SheetState::Comment,
            "final" => SheetState::Final,
            _ => SheetState::Draft,
        }
    }
}

/// Who saved a version, when, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub number: i64,
    pub author: Option<String>,
    /// `YYYY-MM-DD HH:MM` in the process's time zone.
    pub at: String,
    pub note: String,
}

/// A board-2 note offered beside the field its column feeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceNote {
    pub id: i64,
    pub column: usize,
    pub column_title: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentDetail {
    pub id: i64,
    pub process_id: i64,
    pub code: String,
    pub process_slug: String,
    pub process_title: String,
    pub roundtable: Option<(i64, String)>,
    pub proposals: Vec<(i64, String)>,
    pub state: SheetState,
    pub version: i64,
    pub sheet: Sheet,
    pub can_edit: bool,
    pub consultation: Consultation,
    /// Where it came from, on its own page: filled by `get_commitment`.
    pub origin: Origin,
}

/// What a sheet came from at its roundtable: the day it met, the topic its vote
/// chose with each candidate's dots (`None` if the results were never shown),
/// and board 2's notes as anyone may read them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    pub roundtable_on: Option<String>,
    pub chosen_topic: Option<String>,
    pub vote: Vec<(String, Option<i64>)>,
    pub notes: Vec<SourceNote>,
}

/// What the team's editor needs: the sheet and the notes of board 2.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetEditor {
    pub detail: CommitmentDetail,
    pub notes: Vec<SourceNote>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentSummary {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub state: SheetState,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentList {
    pub process_slug: String,
    pub process_title: String,
    pub can_manage: bool,
    pub items: Vec<CommitmentSummary>,
    /// For the team: roundtables a sheet can start from, (id, title).
    pub roundtables: Vec<(i64, String)>,
}

/// One piece of a field's text in a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    Same(String),
    Removed(String),
    Added(String),
}

/// How one field changed between two versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldDiff {
    /// The field's catalog key (`sheet.<field>`, or `sheet.milestone`).
    pub key: String,
    /// For a milestone: its title.
    pub name: Option<String>,
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub from: VersionInfo,
    pub to: VersionInfo,
    pub fields: Vec<FieldDiff>,
    pub versions: Vec<VersionInfo>,
}

pub const CODE_MAX: usize = 20;
pub const SHORT_MAX: usize = 300;
pub const LONG_MAX: usize = 10_000;
pub const NOTE_MAX: usize = 300;
pub const MILESTONES_MAX: usize = 200;

/// How the team answered a comment on a sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Incorporated,
    Partly,
    NotIncorporated,
    OutOfScope,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Incorporated,
        Outcome::Partly,
        Outcome::NotIncorporated,
        Outcome::OutOfScope,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Incorporated => "incorporated",
            Outcome::Partly => "partly",
            Outcome::NotIncorporated => "not_incorporated",
            Outcome::OutOfScope => "out_of_scope",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Incorporating (fully or partly) names the version that did it.
    pub fn needs_version(self) -> bool {
        matches!(self, Outcome::Incorporated | Outcome::Partly)
    }

    pub fn label_key(self) -> String {
        format!("outcome.{}", self.as_str())
    }
}

/// The team's public, reasoned response to a comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub outcome: Outcome,
    pub reason: String,
    /// The version that incorporated it.
    pub version: Option<i64>,
    pub on: String,
}

/// The dates a sheet takes comments (local dates, both included) and the
/// version that was published for comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub version: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub status: PeriodStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodStatus {
    NotYetOpen,
    Open,
    Closed,
}

/// How many comments a sheet received and how each was answered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub received: i64,
    /// Per outcome, in `Outcome::ALL`'s order.
    pub answered: Vec<(Outcome, i64)>,
    pub unanswered: i64,
}

/// When the final version was published, and with how many comments the team
/// confirmed it was still unanswered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinalPublication {
    pub version: i64,
    pub on: String,
    pub unanswered: i64,
}

/// What the sheet page shows of its consultation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Consultation {
    pub period: Option<Period>,
    pub tally: Tally,
    /// Top-level comments per anchor (field name or milestone key).
    pub counts: Vec<(String, i64)>,
    pub final_publication: Option<FinalPublication>,
    /// The viewer is signed in and the period is open.
    pub can_comment: bool,
}

impl Consultation {
    pub fn count(&self, anchor: &str) -> i64 {
        self.counts
            .iter()
            .find(|(a, _)| a == anchor)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

/// A comment on a sheet, with what it is about and the team's response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetComment {
    pub comment: crate::comments::model::Comment,
    /// The field's catalog label, or `None` for a milestone.
    pub field_label: Option<String>,
    /// For a milestone: its title (from the version commented on if removed).
    pub milestone: Option<String>,
    /// The field or milestone is no longer in the current version.
    pub removed: bool,
    pub response: Option<Response>,
}

/// The comments page of a sheet: one page of comments (on one anchor, if
/// chosen), what they may be about, and what the viewer may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetComments {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub version: i64,
    pub anchor: Option<String>,
    /// Every anchor of the current version: (anchor, field catalog key or
    /// milestone title, is a milestone).
    pub anchors: Vec<(String, String, bool)>,
    pub page: crate::paging::Page<SheetComment>,
    pub consultation: Consultation,
    /// The team may answer (until the final sheet is published).
    pub can_respond: bool,
    /// Version numbers, newest first (for "incorporated in").
    pub versions: Vec<i64>,
    pub signed_in: bool,
}

pub const REASON_MAX: usize = 3000;

/// Every place of a sheet a comment may name: its text fields, the OGP values
/// and its milestones, as (anchor, field catalog key or milestone title, is a
/// milestone).
pub fn anchors(sheet: &Sheet) -> Vec<(String, String, bool)> {
    TEXT_FIELDS
        .iter()
        .map(|f| (f.name.to_string(), f.label.to_string(), false))
        .chain(std::iter::once((
            "values".to_string(),
            "sheet.values".to_string(),
            false,
        )))
        .chain(
            sheet
                .milestones
                .iter()
                .map(|m| (m.key.clone(), m.title.clone(), true)),
        )
        .collect()
}
