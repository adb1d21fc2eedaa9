//! Roundtables and registrations. Shared by server and browser.
use crate::boards::model::{Board, Phase};
use crate::paging::Page;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationStatus {
    Registered,
    /// Past capacity: moves up, in order, when someone cancels.
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 3] = [
        RegistrationStatus::Registered,
        RegistrationStatus::Waitlisted,
        RegistrationStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "registered",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrationStatus> {
        RegistrationStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// When a roundtable meets, as shown: in the time zone it was scheduled in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingTime {
    /// `YYYY-MM-DD`
    pub date: String,
    /// `HH:MM`
    pub time: String,
    /// "UTC−03:00"
    pub zone: String,
    pub duration_minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundtableSummary {
    pub id: i64,
    pub title: String,
    pub axis: Option<String>,
    pub when: MeetingTime,
    pub capacity: i64,
    pub seats_taken: i64,
    pub waitlist: i64,
    /// It has ended, or the team closed or cancelled it.
    pub past: bool,
    /// The team cancelled it, for this reason.
    pub cancelled: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundtableList {
    pub process_slug: String,
    pub process_title: String,
    pub can_manage: bool,
    pub page: Page<RoundtableSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundtableDetail {
    pub summary: RoundtableSummary,
    pub description: String,
    pub process_slug: String,
    pub process_title: String,
    pub agencies: Vec<String>,
    pub proposals: Vec<(i64, String)>,
    /// Only for registered people, the presenting agencies' members and the team.
    pub video_url: Option<String>,
    pub signed_in: bool,
    pub my_status: Option<RegistrationStatus>,
    /// My place on the waitlist (1 = next).
    pub my_place: Option<i64>,
    pub phase: Phase,
    /// Closed by the team, or its time is over: the record shows.
    pub finished: bool,
    pub record: Option<RoundtableRecord>,
    /// For the team: the registered people, to take attendance.
    pub attendance: Option<Vec<Attendee>>,
}

/// What stays of a roundtable once it is over, as anyone may read it: the
/// boards without private, hidden or anonymous authorship, and the vote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundtableRecord {
    pub attended: i64,
    pub registered: i64,
    pub chosen_topic: Option<String>,
    /// Each candidate topic with its dots (`None` if the results were never shown).
    pub vote: Vec<(String, Option<i64>)>,
    pub boards: Vec<Board>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    pub user_id: i64,
    pub name: String,
    pub attended: bool,
}

/// A proposal that may be presented: an agency found it feasible and is willing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EligibleProposal {
    pub id: i64,
    pub title: String,
    pub agency_id: i64,
    pub agency: String,
}

/// What the scheduling form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundtableFormContext {
    pub process_slug: String,
    pub process_title: String,
    pub axes: Vec<(i64, String)>,
    pub agencies: Vec<(i64, String)>,
    pub eligible: Vec<EligibleProposal>,
    pub utc_offset_minutes: i32,
}

/// A roundtable as the team changes it: what it has now, and the agencies
/// that may present.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundtableSetup {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// In the roundtable's own time zone.
    pub date: String,
    pub time: String,
    pub utc_offset_minutes: i32,
    /// The same moment, as stored (epoch seconds).
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub video_url: String,
    pub capacity: i64,
    pub agency_ids: Vec<i64>,
    pub agencies: Vec<(i64, String)>,
    /// People holding a seat: the capacity cannot go below it.
    pub registered: i64,
    pub waitlisted: i64,
    /// It is over or cancelled: nothing can change.
    pub past: bool,
}

pub const CANCEL_REASON_MAX: usize = 500;
pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5000;
pub const URL_MAX: usize = 500;
pub const CAPACITY_MAX: i64 = 10_000;
pub const DURATION_MIN: i64 = 15;
pub const DURATION_MAX: i64 = 600;
/// Most eligible proposals offered in the form.
pub const ELIGIBLE_MAX: i64 = 300;

/// "UTC−03:00" for an offset in minutes.
pub fn zone_label(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '−' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The whole-hour offsets a roundtable may be scheduled in, in minutes.
pub fn zone_choices() -> Vec<i32> {
    (-12..=14).map(|h| h * 60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_labels() {
        assert_eq!(zone_label(-180), "UTC−03:00");
        assert_eq!(zone_label(0), "UTC+00:00");
        assert_eq!(zone_label(330), "UTC+05:30");
    }
}

/// A roundtable where a proposal was presented, for its trajectory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PresentedAt {
    pub id: i64,
    pub title: String,
    /// Local date, `YYYY-MM-DD`.
    pub on: String,
    /// It is over (its time passed or the team closed it).
    pub held: bool,
    /// The topic its vote chose, once closed.
    pub chosen_topic: Option<String>,
}
