//! The survey as the team and the organizations see it. Shared by server and browser.
use crate::accounts::model::Sector;
use crate::paging::Page;
use crate::stakeholders::model::Listed;
use serde::{Deserialize, Serialize};

/// What a question asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    ShortText,
    LongText,
    OneChoice,
    SeveralChoices,
    /// Several of the process's thematic axes.
    Axes,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::ShortText,
        QuestionKind::LongText,
        QuestionKind::OneChoice,
        QuestionKind::SeveralChoices,
        QuestionKind::Axes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::ShortText => "short",
            QuestionKind::LongText => "long",
            QuestionKind::OneChoice => "one",
            QuestionKind::SeveralChoices => "many",
            QuestionKind::Axes => "axes",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("survey.kind.{}", self.as_str())
    }

    /// Whether the team lists the choices.
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::OneChoice | QuestionKind::SeveralChoices)
    }

    /// The most characters an answer of this kind may have.
    pub fn max_chars(self) -> usize {
        match self {
            QuestionKind::ShortText => 300,
            _ => 5000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Vec<String>,
    pub required: bool,
}

impl Question {
    /// The form field of its answer.
    pub fn field(&self) -> String {
        format!("q{}", self.id)
    }
}

/// A survey's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyInfo {
    pub id: i64,
    pub intro: String,
    /// The last day answers are taken (ISO).
    pub closes_on: String,
    pub open: bool,
}

/// An organization the survey was sent to, and whether it answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub organization_id: i64,
    pub name: String,
    pub sector: Sector,
    pub answered: bool,
}

/// The team's page for a process's survey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    pub process_slug: String,
    pub process_title: String,
    pub survey: Option<SurveyInfo>,
    pub questions: Vec<Question>,
    /// Sent to anyone: the questions are fixed.
    pub sent: bool,
    pub recipients: Page<Recipient>,
    pub answered: i64,
    /// Organizations of the directory to send it to, as filtered.
    pub candidates: Page<Listed>,
    pub sector: Option<Sector>,
    pub axis: Option<i64>,
    /// The process's axes (id, name).
    pub axes: Vec<(i64, String)>,
}

/// An organization the viewer answers for, with what it answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answering {
    pub organization_id: i64,
    pub name: String,
    /// (question id, values) as saved.
    pub answers: Vec<(i64, Vec<String>)>,
    /// When it last answered (ISO date), if it did.
    pub answered_on: Option<String>,
}

/// The survey as an invited organization's member reads and answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub id: i64,
    pub process_slug: String,
    pub process_title: String,
    pub intro: String,
    pub closes_on: String,
    pub open: bool,
    pub questions: Vec<Question>,
    pub axes: Vec<(i64, String)>,
    pub signed_in: bool,
    pub organizations: Vec<Answering>,
    pub can_manage: bool,
}

/// One organization's response as the team reads it: an answer per question,
/// in the questions' order, as text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub organization: String,
    pub sector: Sector,
    pub answered_on: String,
    pub answers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponsesRead {
    pub id: i64,
    pub process_slug: String,
    pub process_title: String,
    pub questions: Vec<Question>,
    pub responses: Page<Response>,
}

pub const INTRO_MAX: usize = 2000;
pub const PROMPT_MAX: usize = 300;
pub const OPTION_MAX: usize = 120;
pub const OPTIONS_MAX: usize = 20;
/// A short questionnaire: more questions than this is not one.
pub const QUESTIONS_MAX: i64 = 30;
/// The most organizations one sending reaches.
pub const SEND_MAX: usize = 500;
