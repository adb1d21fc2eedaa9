//! Invitations as the team and the invited see them. Shared by server and browser.
use crate::accounts::model::Sector;
use crate::paging::Page;
use crate::stakeholders::model::Listed;
use serde::{Deserialize, Serialize};

/// How far an invitation got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InvitationState {
    /// Its mail waits in the outbox.
    Queued,
    Sent,
    /// Someone opened the personal link.
    Opened,
    /// Someone registered through it.
    Registered,
}

impl InvitationState {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationState::Queued => "queued",
            InvitationState::Sent => "sent",
            InvitationState::Opened => "opened",
            InvitationState::Registered => "registered",
        }
    }

    pub fn label_key(self) -> String {
        format!("invitations.state.{}", self.as_str())
    }
}

/// One invitation, as the team follows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Followed {
    pub organization: String,
    pub sector: Sector,
    /// The roundtable it invites to; `None` for the process itself.
    pub roundtable: Option<String>,
    pub state: InvitationState,
    pub sent_on: String,
}

/// Per sector: organizations invited (by theme or to the survey), those that
/// answered the survey, and those that took part (registered through an
/// invitation, or attended a roundtable).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SectorFigures {
    pub sector: Option<Sector>,
    pub invited: i64,
    pub answered: i64,
    pub took_part: i64,
}

/// The team's page of a process's invitations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    pub process_slug: String,
    pub process_title: String,
    /// The process's roundtables (id, title), to invite to one.
    pub roundtables: Vec<(i64, String)>,
    /// The process's axes (id, name), to pick organizations by interest.
    pub axes: Vec<(i64, String)>,
    pub sector: Option<Sector>,
    pub axis: Option<i64>,
    pub candidates: Page<Listed>,
    pub invitations: Page<Followed>,
    /// How many invitations are in each state, in the states' order.
    pub by_state: Vec<(InvitationState, i64)>,
    pub by_sector: Vec<SectorFigures>,
}

/// What a personal link invites to, as its holder reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub organization: String,
    pub process_slug: String,
    pub process_title: String,
    /// (id, title, date as ISO) of the roundtable, when it invites to one.
    pub roundtable: Option<(i64, String, String)>,
    pub signed_in: bool,
    /// Someone registered through it already.
    pub registered: bool,
}

/// The most organizations one sending reaches.
pub const SEND_MAX: usize = 500;
