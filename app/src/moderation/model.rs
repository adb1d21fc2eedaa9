//! Moderation: reports on proposals and comments, the facilitators' queue, and
//! the audit log of what was hidden or restored.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetKind {
    Proposal,
    Comment,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Proposal => "proposal",
            TargetKind::Comment => "comment",
        }
    }

    pub fn parse(s: &str) -> Option<TargetKind> {
        [TargetKind::Proposal, TargetKind::Comment]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

pub const REASONS: [&str; 3] = ["spam", "offensive", "off_topic"];

/// Reported content waiting for a facilitator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub kind: TargetKind,
    pub id: i64,
    /// Where the content is read in context: its proposal, or the comments
    /// page of the commitment sheet it is on.
    pub context: String,
    pub excerpt: String,
    pub reports: i64,
    pub reasons: Vec<String>,
    pub hidden: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    /// Local date, `YYYY-MM-DD`.
    pub on: String,
}
