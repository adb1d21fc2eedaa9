//! Threaded comments, shared by the modules that take them (proposals, sheets).
use serde::{Deserialize, Serialize};

/// What a comment is about. Each kind's module says whether it takes comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubjectKind {
    Proposal,
    /// A commitment sheet in its comment period: comments name a field or a
    /// milestone (`anchor`) and the version they were made on.
    Commitment,
    /// A process's published action plan (subject id: the process), once it
    /// has a final sheet.
    Plan,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Proposal => "proposal",
            SubjectKind::Commitment => "commitment",
            SubjectKind::Plan => "plan",
        }
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        [
            SubjectKind::Proposal,
            SubjectKind::Commitment,
            SubjectKind::Plan,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Deepest level: 0 is a comment, 1 a reply, 2 a reply to a reply.
pub const MAX_DEPTH: i64 = 2;
pub const BODY_MAX: usize = 3000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    /// Shown only with the author's consent; `None` reads "a resident".
    pub author_name: Option<String>,
    /// Empty when the comment is hidden by moderation.
    pub body: String,
    pub hidden: bool,
    /// Local date, `YYYY-MM-DD`.
    pub on: String,
    /// On a sheet: the field or milestone key commented on, and the version.
    pub anchor: Option<String>,
    pub version: Option<i64>,
}

/// A top-level comment and all its replies, in reading order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub comments: Vec<Comment>,
}
