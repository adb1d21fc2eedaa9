//! Threaded comments, shared by the modules that take them.
use serde::{Deserialize, Serialize};

/// What a comment is about. Each kind's module says whether it takes comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubjectKind {
    Proposal,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Proposal => "proposal",
        }
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        (s == "proposal").then_some(SubjectKind::Proposal)
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
}

/// A top-level comment and all its replies, in reading order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub comments: Vec<Comment>,
}
