//! Notifications. Shared by server and browser.
use crate::paging::Page;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    /// An agency's answer to the person's proposal was published.
    AnswerPublished,
    /// Proposals were assigned to an agency the person belongs to.
    ProposalsAssigned,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 2] = [
        NotificationKind::AnswerPublished,
        NotificationKind::ProposalsAssigned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::AnswerPublished => "answer_published",
            NotificationKind::ProposalsAssigned => "proposals_assigned",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Where the notification leads.
    pub fn href(self, subject_id: i64) -> String {
        match self {
            NotificationKind::AnswerPublished => format!("/proposals/{subject_id}"),
            NotificationKind::ProposalsAssigned => "/feasibility".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub subject_id: i64,
    /// The proposal's or the process's title when the notification was made.
    pub subject_title: String,
    /// The agency's name, or how many proposals were assigned.
    pub detail: String,
    pub on: String,
    pub read: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationList {
    pub page: Page<Notification>,
    pub unread: i64,
}
