//! Assignments of proposals to agencies, verdicts, meetings. Shared by server and browser.
use crate::paging::Page;
use crate::processes::model::StageDates;
use crate::proposals::model::ProposalEvent;
use serde::{Deserialize, Serialize};

/// An agency's ruling on a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Feasible,
    PartlyFeasible,
    NotFeasible,
    /// Not this agency's remit: the proposal goes back to the team for re-routing.
    OutsideRemit,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Feasible,
        Verdict::PartlyFeasible,
        Verdict::NotFeasible,
        Verdict::OutsideRemit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Feasible => "feasible",
            Verdict::PartlyFeasible => "partly_feasible",
            Verdict::NotFeasible => "not_feasible",
            Verdict::OutsideRemit => "outside_remit",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("verdict.{}", self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentStatus {
    Pending,
    Answered,
    /// Ruled outside the agency's remit, waiting for the team to re-route it.
    Returned,
    /// Superseded by an assignment to another agency.
    Reassigned,
}

impl AssignmentStatus {
    pub const ALL: [AssignmentStatus; 4] = [
        AssignmentStatus::Pending,
        AssignmentStatus::Answered,
        AssignmentStatus::Returned,
        AssignmentStatus::Reassigned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentStatus::Pending => "pending",
            AssignmentStatus::Answered => "answered",
            AssignmentStatus::Returned => "returned",
            AssignmentStatus::Reassigned => "reassigned",
        }
    }

    pub fn parse(s: &str) -> Option<AssignmentStatus> {
        AssignmentStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("assignment.status.{}", self.as_str())
    }
}

/// The filters of the routing list. "unpublished": no published answer yet.
pub const ROUTING_FILTERS: [&str; 7] = [
    "all",
    "unassigned",
    "pending",
    "overdue",
    "answered",
    "returned",
    "unpublished",
];

/// The filters of an agency's queue.
pub const QUEUE_FILTERS: [&str; 4] = ["pending", "overdue", "answered", "returned"];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoutingQuery {
    pub q: String,
    pub axis: Option<i64>,
    pub agency: Option<i64>,
    /// One of `ROUTING_FILTERS`.
    pub status: String,
    pub page: i64,
}

/// How many proposals an agency has in each state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgencyLoad {
    pub agency_id: i64,
    pub agency: String,
    pub pending: i64,
    pub answered: i64,
    pub returned: i64,
    pub overdue: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignmentBrief {
    pub agency_id: i64,
    pub agency: String,
    pub status: AssignmentStatus,
    pub verdict: Option<Verdict>,
    pub due_on: String,
    pub overdue: bool,
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutingRow {
    pub proposal_id: i64,
    pub title: String,
    pub axis: String,
    pub withdrawn: bool,
    /// Current assignments (superseded ones are left out).
    pub assignments: Vec<AssignmentBrief>,
}

/// The team's routing page of a process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutingBoard {
    pub process_id: i64,
    pub slug: String,
    pub title: String,
    pub answers_held: bool,
    pub feasibility: Option<StageDates>,
    pub today: String,
    pub load: Vec<AgencyLoad>,
    pub agencies: Vec<(i64, String)>,
    pub axes: Vec<(i64, String)>,
    pub page: Page<RoutingRow>,
    /// Proposals (not withdrawn) without any published answer.
    pub unanswered: i64,
    /// Answers recorded but held for joint publication.
    pub held: i64,
}

/// One assignment as the team and the agencies involved see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignmentDetail {
    pub id: i64,
    pub agency_id: i64,
    pub agency: String,
    pub status: AssignmentStatus,
    pub due_on: String,
    pub overdue: bool,
    pub note: String,
    pub verdict: Option<Verdict>,
    pub willing: Option<bool>,
    pub public_answer: String,
    pub private_notes: String,
    pub answered_by: Option<String>,
    pub answered_on: Option<String>,
    pub published_on: Option<String>,
    pub version: i64,
    /// The viewer belongs to this agency and the assignment is current.
    pub can_answer: bool,
}

/// The review page of one proposal, for the team and the agencies involved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub proposal_id: i64,
    pub title: String,
    pub problem: String,
    pub solution: String,
    pub axis: String,
    pub withdrawn: bool,
    pub process_slug: String,
    pub process_title: String,
    pub assignments: Vec<AssignmentDetail>,
    /// With who did each step.
    pub history: Vec<ProposalEvent>,
    pub can_route: bool,
    pub agencies: Vec<(i64, String)>,
    pub today: String,
}

/// A published answer, as everyone sees it on the proposal's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicAnswer {
    pub agency: String,
    pub verdict: Verdict,
    pub willing: bool,
    pub answer: String,
    /// Local date of publication.
    pub on: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// One of `QUEUE_FILTERS`.
    pub status: String,
    pub page: i64,
}

/// A row of an agency member's queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub proposal_id: i64,
    pub title: String,
    pub process_title: String,
    pub agency: String,
    pub status: AssignmentStatus,
    pub verdict: Option<Verdict>,
    pub due_on: String,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    pub held_on: String,
    pub attendees: String,
    pub minutes: String,
    pub proposals: Vec<(i64, String)>,
    pub logged_by: Option<String>,
}

/// An agency's page within a process: its load and its feasibility meetings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgencyOverview {
    pub slug: String,
    pub process_title: String,
    pub agency_id: i64,
    pub agency: String,
    pub load: AgencyLoad,
    pub meetings: Page<Meeting>,
    /// Proposals assigned to the agency in the process, to pick for a meeting.
    pub assigned: Vec<(i64, String)>,
    pub can_log: bool,
    pub today: String,
}

pub const NOTE_MAX: usize = 1000;
pub const ANSWER_MAX: usize = 5000;
pub const MINUTES_MAX: usize = 10000;
pub const ATTENDEES_MAX: usize = 1000;
/// Most proposals offered when logging a meeting.
pub const MEETING_PICK_MAX: i64 = 200;
