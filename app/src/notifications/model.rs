//! Notifications. Shared by server and browser.
use crate::paging::Page;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    /// An agency's answer to the person's proposal was published.
    AnswerPublished,
    /// Proposals were assigned to an agency the person belongs to.
    ProposalsAssigned,
    /// A commitment sheet from a roundtable the person registered for (or from
    /// their proposal) was published for comment; `detail` is the closing date.
    CommentPeriodOpened,
    /// The team answered the person's comment on a commitment sheet.
    CommentAnswered,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 4] = [
        NotificationKind::AnswerPublished,
        NotificationKind::ProposalsAssigned,
        NotificationKind::CommentPeriodOpened,
        NotificationKind::CommentAnswered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::AnswerPublished => "answer_published",
            NotificationKind::ProposalsAssigned => "proposals_assigned",
            NotificationKind::CommentPeriodOpened => "comment_period_opened",
            NotificationKind::CommentAnswered => "comment_answered",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether `detail` is a date (`YYYY-MM-DD`), shown in the reader's format.
    pub fn detail_is_date(self) -> bool {
        self == NotificationKind::CommentPeriodOpened
    }

    /// Where the notification leads.
    pub fn href(self, subject_id: i64) -> String {
        match self {
            NotificationKind::AnswerPublished => format!("/proposals/{subject_id}"),
            NotificationKind::ProposalsAssigned => "/feasibility".to_string(),
            NotificationKind::CommentPeriodOpened => format!("/commitments/{subject_id}"),
            NotificationKind::CommentAnswered => format!("/commitments/{subject_id}/comments"),
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
