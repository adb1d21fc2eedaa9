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
    /// their proposal) was published for comment; `detail` is the period,
    /// `opens/closes` (ISO dates).
    CommentPeriodOpened,
    /// The team answered the person's comment on a commitment sheet.
    CommentAnswered,
    /// Milestones led by the person's agency need an update; `detail` is the
    /// count of those overdue, due and without progress, `o/d/s`.
    MonitoringDue,
    /// The person's proposal was carried over to a later co-creation instance;
    /// the subject is the new proposal, `detail` the new process's title.
    CarriedOver,
    /// The team decided on an organization the person registered in the
    /// directory; `detail` is empty when approved, else the team's reason.
    OrganizationReviewed,
    /// A roundtable the person has a seat at starts within a day; `detail` is
    /// `date|time|zone|video link`.
    RoundtableReminder,
    /// The team sent a process's survey to an organization the person
    /// represents; the subject is the survey.
    SurveySent,
    /// A roundtable the person has a seat at (or waits for) moved; `detail`
    /// is the new `date|time|zone`.
    RoundtableRescheduled,
    /// The team cancelled a roundtable the person has a seat at (or waits
    /// for); `detail` is the team's reason.
    RoundtableCancelled,
    /// A roundtable was scheduled on an axis the person follows; `detail` is
    /// the axis.
    AxisRoundtable,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 12] = [
        NotificationKind::AnswerPublished,
        NotificationKind::ProposalsAssigned,
        NotificationKind::CommentPeriodOpened,
        NotificationKind::CommentAnswered,
        NotificationKind::MonitoringDue,
        NotificationKind::CarriedOver,
        NotificationKind::OrganizationReviewed,
        NotificationKind::RoundtableReminder,
        NotificationKind::SurveySent,
        NotificationKind::RoundtableRescheduled,
        NotificationKind::RoundtableCancelled,
        NotificationKind::AxisRoundtable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::AnswerPublished => "answer_published",
            NotificationKind::ProposalsAssigned => "proposals_assigned",
            NotificationKind::CommentPeriodOpened => "comment_period_opened",
            NotificationKind::CommentAnswered => "comment_answered",
            NotificationKind::MonitoringDue => "monitoring_due",
            NotificationKind::CarriedOver => "carried_over",
            NotificationKind::OrganizationReviewed => "organization_reviewed",
            NotificationKind::RoundtableReminder => "roundtable_reminder",
            NotificationKind::SurveySent => "survey_sent",
            NotificationKind::RoundtableRescheduled => "roundtable_rescheduled",
            NotificationKind::RoundtableCancelled => "roundtable_cancelled",
            NotificationKind::AxisRoundtable => "axis_roundtable",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// `detail` as the reader reads it: a comment period (`opens/closes`, ISO
    /// dates) in their date format; other details as they were written.
    pub fn detail_text(self, detail: &str, locale: crate::i18n::Locale) -> String {
        match (self, detail.split_once('/')) {
            (NotificationKind::CommentPeriodOpened, Some((from, to))) => locale.tf(
                "consultation.period_span",
                &[("from", &locale.date(from)), ("to", &locale.date(to))],
            ),
            (NotificationKind::MonitoringDue, _) => {
                let mut n = detail.split('/');
                let mut next = || n.next().unwrap_or("0").to_string();
                let (overdue, due, stale) = (next(), next(), next());
                locale.tf(
                    "monitoring.reminder_detail",
                    &[("overdue", &overdue), ("due", &due), ("stale", &stale)],
                )
            }
            (NotificationKind::RoundtableReminder, _) => {
                let mut part = detail.splitn(4, '|');
                let mut next = || part.next().unwrap_or("").to_string();
                let (date, time, zone, video) = (next(), next(), next(), next());
                locale.tf(
                    "roundtable.reminder_detail",
                    &[
                        ("date", &locale.date(&date)),
                        ("time", &time),
                        ("zone", &zone),
                        ("video", &video),
                    ],
                )
            }
            (NotificationKind::RoundtableRescheduled, _) => {
                let mut part = detail.splitn(3, '|');
                let mut next = || part.next().unwrap_or("").to_string();
                let (date, time, zone) = (next(), next(), next());
                locale.tf(
                    "roundtable.rescheduled_detail",
                    &[
                        ("date", &locale.date(&date)),
                        ("time", &time),
                        ("zone", &zone),
                    ],
                )
            }
            (NotificationKind::OrganizationReviewed, _) if detail.is_empty() => {
                locale.t("directory.approved_detail")
            }
            (NotificationKind::OrganizationReviewed, _) => {
                locale.tf("directory.rejected_detail", &[("reason", detail)])
            }
            _ => detail.to_string(),
        }
    }

    /// Where the notification leads.
    pub fn href(self, subject_id: i64) -> String {
        match self {
            NotificationKind::AnswerPublished => format!("/proposals/{subject_id}"),
            NotificationKind::ProposalsAssigned => "/feasibility".to_string(),
            NotificationKind::CommentPeriodOpened => format!("/commitments/{subject_id}"),
            NotificationKind::CommentAnswered => format!("/commitments/{subject_id}/comments"),
            NotificationKind::MonitoringDue => "/monitoring".to_string(),
            NotificationKind::CarriedOver => format!("/proposals/{subject_id}"),
            NotificationKind::OrganizationReviewed => "/organizations/register".to_string(),
            NotificationKind::RoundtableReminder => format!("/roundtables/{subject_id}"),
            NotificationKind::SurveySent => format!("/surveys/{subject_id}"),
            NotificationKind::RoundtableRescheduled
            | NotificationKind::RoundtableCancelled
            | NotificationKind::AxisRoundtable => {
                format!("/roundtables/{subject_id}")
            }
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
