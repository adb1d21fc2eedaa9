//! Announcements as the team follows them. Shared by server and browser.
use crate::paging::Page;
use crate::processes::model::Stage;
use serde::{Deserialize, Serialize};

pub const SUBJECT_MAX: usize = 150;
pub const BODY_MAX: usize = 5_000;

/// One announcement and how far its sending got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Announced {
    pub id: i64,
    pub subject: String,
    /// The stage whose opening it announces; `None` for the process itself.
    pub stage: Option<Stage>,
    pub created_on: String,
    /// Subscribers when it was written.
    pub total: i64,
    pub sent: i64,
    /// Addresses the mail server refused for good.
    pub failed: i64,
    /// Every subscriber was reached or skipped (they left the base meanwhile).
    pub finished: bool,
}

/// The team's page of a process's announcements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    pub process_slug: String,
    pub process_title: String,
    /// Confirmed subscribers now: who a new announcement goes to.
    pub subscribers: i64,
    pub stages: Vec<Stage>,
    /// A subject and text to start from.
    pub draft_subject: String,
    pub draft_body: String,
    pub announcements: Page<Announced>,
}
