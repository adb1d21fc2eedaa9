//! Proposals submitted to a process during intake. Shared by server and browser.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalState {
    Published,
    Withdrawn,
}

impl ProposalState {
    pub const ALL: [ProposalState; 2] = [ProposalState::Published, ProposalState::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Published => "published",
            ProposalState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ProposalState> {
        ProposalState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("proposal.state.{}", self.as_str())
    }
}

/// Who a proposal is credited to in public: the author's name only with consent,
/// else the organization they represent, else "a resident".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    pub author_name: Option<String>,
    pub organization: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: i64,
    /// Empty when hidden by moderation.
    pub title: String,
    pub hidden: bool,
    pub axis: String,
    pub credit: Credit,
    pub state: ProposalState,
    pub supports: i64,
    pub comments: i64,
    /// Local date of submission, `YYYY-MM-DD`.
    pub created_on: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalEvent {
    /// "submitted", "edited", "withdrawn"; routing: "assigned", "reassigned",
    /// "answered", "answer_changed", "answer_published".
    pub event: String,
    /// Local date, `YYYY-MM-DD`.
    pub on: String,
    /// The agency a routing step is about.
    pub agency: Option<String>,
    /// The verdict of an answer step.
    pub detail: String,
    /// Who did it: only in the team's view.
    pub actor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalDetail {
    pub summary: ProposalSummary,
    pub process_slug: String,
    pub process_title: String,
    pub problem: String,
    pub solution: String,
    pub axis_id: i64,
    pub organization_id: Option<i64>,
    pub show_author_name: bool,
    pub history: Vec<ProposalEvent>,
    /// About the person asking: signed in at all, and the author.
    pub signed_in: bool,
    pub mine: bool,
    pub supported_by_me: bool,
    /// Intake is open, so the author may still edit or withdraw.
    pub intake_open: bool,
    /// The agencies' published answers.
    pub answers: Vec<crate::feasibility::model::PublicAnswer>,
    /// The viewer is on the team or in an agency the proposal was assigned to.
    pub can_review: bool,
}

/// The list's filters and order, as they appear in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalQuery {
    pub q: String,
    pub axis: Option<i64>,
    pub state: Option<String>,
    pub sector: Option<String>,
    /// "newest" (default), "supported" or "commented".
    pub sort: String,
    pub page: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarProposal {
    pub id: i64,
    pub title: String,
}

/// What the submission form needs: the process's axes and the person's organizations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalFormContext {
    pub process_id: i64,
    pub process_slug: String,
    pub process_title: String,
    pub axes: Vec<(i64, String)>,
    pub organizations: Vec<(i64, String)>,
    pub intake_open: bool,
}

pub const TITLE_MAX: usize = 150;
pub const TEXT_MAX: usize = 5000;
