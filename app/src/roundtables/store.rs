//! (ssr) SQL for roundtables and registrations. Seats are taken with a
//! conditional UPDATE of the roundtable's counter, so concurrent registrations
//! never exceed the capacity on either engine; a cancellation hands its seat to
//! the first person on the waitlist in the same transaction.
use super::calendar::{ics, CalendarEvent};
use super::model::*;
use crate::boards::model::Phase;
use crate::db::{now, Db, Row, Tx};
use crate::error::AppResult;
use crate::mail::MailAttachment;
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;
use std::collections::HashMap;

pub struct NewRoundtable {
    pub process_id: i64,
    pub axis_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub utc_offset_minutes: i32,
    pub duration_minutes: i64,
    pub video_url: String,
    pub capacity: i64,
    pub agency_ids: Vec<i64>,
    pub proposal_ids: Vec<i64>,
}

/// Schedules a roundtable with its boards; people who follow its axis are
/// told.
pub async fn create(db: &Db, base_url: &str, r: &NewRoundtable, actor: i64) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO roundtables (process_id, axis_id, title, description, starts_at, utc_offset_minutes, \
         duration_minutes, video_url, capacity, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(r.process_id)
    .bind(r.axis_id)
    .bind(&r.title)
    .bind(&r.description)
    .bind(r.starts_at)
    .bind(r.utc_offset_minutes as i64)
    .bind(r.duration_minutes)
    .bind(&r.video_url)
    .bind(r.capacity)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    for agency in &r.agency_ids {
        sqlx::query("INSERT INTO roundtable_agencies (roundtable_id, agency_id) VALUES ($1, $2)")
            .bind(id)
            .bind(agency)
            .execute(&mut *tx)
            .await?;
    }
    for (position, proposal) in r.proposal_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO roundtable_proposals (roundtable_id, proposal_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(proposal)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    let titles: Vec<String> = sqlx::query(
        "SELECT p.title FROM roundtable_proposals rp JOIN proposals p ON p.id = rp.proposal_id \
         WHERE rp.roundtable_id = $1 ORDER BY rp.position",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| r.get("title"))
    .collect();
    crate::boards::store::create_boards(&mut tx, id, &titles).await?;
    if let Some(axis) = r.axis_id {
        let (axis_name, followers) = crate::processes::store::followers(&mut tx, axis).await?;
        for user_id in followers {
            crate::notifications::store::notify(
                &mut tx,
                base_url,
                &crate::notifications::store::Notice {
                    user_id,
                    kind: crate::notifications::model::NotificationKind::AxisRoundtable,
                    subject_id: id,
                    subject_title: &r.title,
                    detail: &axis_name,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Proposals of the process that an agency found feasible (fully or partly) and
/// is willing to take to a roundtable.
pub async fn eligible(db: &Db, process_id: i64) -> AppResult<Vec<EligibleProposal>> {
    Ok(sqlx::query(&format!(
        "SELECT p.id, p.title, g.id AS agency_id, g.name AS agency \
         FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
         JOIN agencies g ON g.id = a.agency_id \
         WHERE p.process_id = $1 AND p.state = 'published' AND p.hidden = 0 AND a.status = 'answered' \
         AND a.verdict IN ('feasible', 'partly_feasible') AND a.willing = 1 \
         ORDER BY g.name, p.title LIMIT {ELIGIBLE_MAX}"
    ))
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| EligibleProposal {
        id: r.get("id"),
        title: r.get("title"),
        agency_id: r.get("agency_id"),
        agency: r.get("agency"),
    })
    .collect())
}

/// A time as the roundtable shows it: in its own time zone.
pub fn meeting_time(starts_at: i64, offset_minutes: i32, duration_minutes: i64) -> MeetingTime {
    let offset =
        time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp(starts_at)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    MeetingTime {
        date: crate::ctx::iso_date(t.date()),
        time: format!("{:02}:{:02}", t.hour(), t.minute()),
        zone: zone_label(offset_minutes),
        duration_minutes,
    }
}

const SUMMARY_COLUMNS: &str =
    "r.id, r.title, r.starts_at, r.utc_offset_minutes, r.duration_minutes, \
     r.capacity, r.seats_taken, r.phase, r.cancel_reason, x.name AS axis, \
     (SELECT COUNT(*) FROM roundtable_registrations w WHERE w.roundtable_id = r.id \
      AND w.status = 'waitlisted') AS waitlist";
const SUMMARY_FROM: &str = "FROM roundtables r LEFT JOIN process_axes x ON x.id = r.axis_id";

fn summary(r: &Row, now: i64) -> RoundtableSummary {
    let starts_at: i64 = r.get("starts_at");
    let duration: i64 = r.get("duration_minutes");
    RoundtableSummary {
        id: r.get("id"),
        title: r.get("title"),
        axis: r.get("axis"),
        when: meeting_time(
            starts_at,
            r.get::<i64, _>("utc_offset_minutes") as i32,
            duration,
        ),
        capacity: r.get("capacity"),
        seats_taken: r.get("seats_taken"),
        waitlist: r.get("waitlist"),
        past: starts_at + duration * 60 < now
            || r.get::<String, _>("phase") == "closed"
            || r.get::<Option<String>, _>("cancel_reason").is_some(),
        cancelled: r.get("cancel_reason"),
    }
}

/// A process's roundtables, upcoming first (soonest first), then past ones.
pub async fn list(db: &Db, process_id: i64, page: i64) -> AppResult<Page<RoundtableSummary>> {
    let (page, offset) = window(page);
    let t = now();
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM roundtables WHERE process_id = $1")
        .bind(process_id)
        .fetch_one(&db.pool)
        .await?
        .get("n");
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE r.process_id = $1 \
         ORDER BY CASE WHEN r.starts_at + r.duration_minutes * 60 < $2 THEN 1 ELSE 0 END, \
         CASE WHEN r.starts_at + r.duration_minutes * 60 < $2 THEN -r.starts_at ELSE r.starts_at END, r.id \
         LIMIT {PER_PAGE} OFFSET {offset}"
    ))
    .bind(process_id)
    .bind(t)
    .fetch_all(&db.pool)
    .await?;
    let items = rows.iter().map(|r| summary(r, t)).collect();
    Ok(Page::new(items, page, total))
}

/// What rules and pages need to know about one roundtable.
pub struct Facts {
    pub process_id: i64,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub presenting: Vec<i64>,
    /// The team closed it (it may close before its time is over), or
    /// cancelled it.
    pub closed: bool,
}

impl Facts {
    /// It is over: its time has passed or the team closed it.
    pub fn past(&self) -> bool {
        self.closed || self.starts_at + self.duration_minutes * 60 < now()
    }
}

/// When a roundtable starts (UTC seconds), or `None` if there is no such one.
pub async fn starts_at(db: &Db, id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT starts_at FROM roundtables WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

pub async fn facts(db: &Db, id: i64) -> AppResult<Option<Facts>> {
    // One query for every board write and roundtable page that checks these:
    // the roundtable's row, then one row per presenting agency.
    let rows = sqlx::query(
        "SELECT 'roundtable' AS kind, process_id AS ref_id, starts_at, duration_minutes, phase, \
                cancelled_at FROM roundtables WHERE id = $1 \
         UNION ALL SELECT 'agency', agency_id, NULL, NULL, NULL, NULL \
           FROM roundtable_agencies WHERE roundtable_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let Some(r) = crate::db::rows_where(&rows, "kind", "roundtable").next() else {
        return Ok(None);
    };
    Ok(Some(Facts {
        process_id: r.get("ref_id"),
        starts_at: r.get("starts_at"),
        duration_minutes: r.get("duration_minutes"),
        presenting: crate::db::ids_where(&rows, "kind", "agency", "ref_id"),
        closed: r.get::<String, _>("phase") == "closed"
            || r.get::<Option<i64>, _>("cancelled_at").is_some(),
    }))
}

/// A person's registration: status and, on the waitlist, their place (1 = next).
pub async fn registration(
    db: &Db,
    id: i64,
    user_id: i64,
) -> AppResult<Option<(RegistrationStatus, Option<i64>)>> {
    let Some(r) = sqlx::query(
        "SELECT status, updated_at, \
         (SELECT COUNT(*) FROM roundtable_registrations o WHERE o.roundtable_id = g.roundtable_id \
          AND o.status = 'waitlisted' AND (o.updated_at < g.updated_at OR (o.updated_at = g.updated_at AND o.id <= g.id))) AS place \
         FROM roundtable_registrations g WHERE g.roundtable_id = $1 AND g.user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let status = RegistrationStatus::parse(&r.get::<String, _>("status"))
        .unwrap_or(RegistrationStatus::Cancelled);
    let place = (status == RegistrationStatus::Waitlisted).then(|| r.get::<i64, _>("place"));
    Ok(Some((status, place)))
}

/// The public page's data; `video_url` is filled in by the caller when allowed.
pub async fn detail(db: &Db, id: i64) -> AppResult<Option<(RoundtableDetail, String)>> {
    let t = now();
    let Some(r) = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, r.description, r.video_url, pr.slug, pr.title AS process_title \
         {SUMMARY_FROM} JOIN processes pr ON pr.id = r.process_id WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let agencies = sqlx::query(
        "SELECT g.name FROM roundtable_agencies ra JOIN agencies g ON g.id = ra.agency_id \
         WHERE ra.roundtable_id = $1 ORDER BY g.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|a| a.get("name"))
    .collect();
    let proposals = sqlx::query(
        "SELECT p.id, p.title FROM roundtable_proposals rp JOIN proposals p ON p.id = rp.proposal_id \
         WHERE rp.roundtable_id = $1 AND p.hidden = 0 ORDER BY rp.position",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|p| (p.get("id"), p.get("title")))
    .collect();
    let summary = summary(&r, t);
    let detail = RoundtableDetail {
        finished: summary.past,
        summary,
        description: r.get("description"),
        process_slug: r.get("slug"),
        process_title: r.get("process_title"),
        agencies,
        proposals,
        video_url: None,
        signed_in: false,
        my_status: None,
        my_place: None,
        phase: Phase::parse(&r.get::<String, _>("phase")).unwrap_or_default(),
        record: None,
        attendance: None,
    };
    Ok(Some((detail, r.get("video_url"))))
}

/// The calendar event of a roundtable.
/// (title, calendar file, time, video-call link)
async fn event_of(
    tx: &mut Tx,
    id: i64,
    base_url: &str,
) -> AppResult<(String, String, MeetingTime, String)> {
    let r = sqlx::query(
        "SELECT title, description, starts_at, utc_offset_minutes, duration_minutes, video_url \
         FROM roundtables WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let title: String = r.get("title");
    let description: String = r.get("description");
    let video_url: String = r.get("video_url");
    let starts_at: i64 = r.get("starts_at");
    let duration: i64 = r.get("duration_minutes");
    let url = format!("{base_url}/roundtables/{id}");
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or("cocrea")
        .trim_end_matches('/');
    let event = CalendarEvent {
        uid: format!("roundtable-{id}@{host}"),
        starts_at,
        duration_minutes: duration,
        title: &title,
        description: &format!("{description}\n\n{video_url}\n{url}"),
        location: &video_url,
        url: &url,
    };
    let when = meeting_time(
        starts_at,
        r.get::<i64, _>("utc_offset_minutes") as i32,
        duration,
    );
    let file = ics(&event, now());
    Ok((title, file, when, video_url))
}

/// The calendar file, for the download link.
pub async fn calendar(db: &Db, id: i64, base_url: &str) -> AppResult<String> {
    let mut tx = db.pool.begin().await?;
    let (_, file, ..) = event_of(&mut tx, id, base_url).await?;
    tx.commit().await?;
    Ok(file)
}

/// Writes to a person about their place: the link and the calendar file once they
/// have a seat, their place on the waitlist otherwise.
async fn tell(
    tx: &mut Tx,
    base_url: &str,
    id: i64,
    user_id: i64,
    status: RegistrationStatus,
) -> AppResult<()> {
    let Some((email, locale)) = crate::accounts::store::contact(tx, user_id).await? else {
        return Ok(());
    };
    let (title, file, when, video) = event_of(tx, id, base_url).await?;
    let link = format!("{base_url}/roundtables/{id}");
    let args = [
        ("title", title.as_str()),
        ("date", &locale.date(&when.date)),
        ("time", &when.time),
        ("zone", &when.zone),
        ("video", &video),
        ("link", &link),
    ];
    let key = status.as_str();
    let subject = locale.tf(&format!("mail.roundtable.{key}.subject"), &args);
    let body = locale.tf(&format!("mail.roundtable.{key}.body"), &args);
    match status {
        RegistrationStatus::Registered => {
            let file = calendar_file(file);
            crate::mail::queue_with(tx, &email, &subject, &body, &file).await
        }
        _ => crate::mail::queue(tx, &email, &subject, &body).await,
    }
}

/// Registers a person: a seat if one is free, else the waitlist. Registering
/// again changes nothing. Returns the person's status.
pub async fn register(
    db: &Db,
    base_url: &str,
    id: i64,
    user_id: i64,
) -> AppResult<RegistrationStatus> {
    let mut tx = db.begin_write().await?;
    let current = sqlx::query(
        "SELECT status FROM roundtable_registrations WHERE roundtable_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?
    .and_then(|r| RegistrationStatus::parse(&r.get::<String, _>("status")));
    if let Some(s @ (RegistrationStatus::Registered | RegistrationStatus::Waitlisted)) = current {
        return Ok(s);
    }
    let seat = sqlx::query(
        "UPDATE roundtables SET seats_taken = seats_taken + 1 WHERE id = $1 AND seats_taken < capacity RETURNING id",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .is_some();
    let status = if seat {
        RegistrationStatus::Registered
    } else {
        RegistrationStatus::Waitlisted
    };
    let t = now();
    sqlx::query(
        "INSERT INTO roundtable_registrations (roundtable_id, user_id, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (roundtable_id, user_id) DO UPDATE SET status = $3, updated_at = $4",
    )
    .bind(id)
    .bind(user_id)
    .bind(status.as_str())
    .bind(t)
    .execute(&mut *tx)
    .await?;
    tell(&mut tx, base_url, id, user_id, status).await?;
    tx.commit().await?;
    Ok(status)
}

/// Cancels a registration; a freed seat goes to the first on the waitlist, who is
/// told. Returns false if there was nothing to cancel.
pub async fn cancel(db: &Db, base_url: &str, id: i64, user_id: i64) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let cancelled = sqlx::query(
        "UPDATE roundtable_registrations SET status = 'cancelled', updated_at = $1 \
         WHERE roundtable_id = $2 AND user_id = $3 AND status <> 'cancelled'",
    )
    .bind(now())
    .bind(id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if cancelled == 0 {
        return Ok(false);
    }
    // A seat was freed if fewer people hold one than the counter says.
    let registered: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM roundtable_registrations WHERE roundtable_id = $1 AND status = 'registered'",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?
    .get("n");
    let seats: i64 = sqlx::query("SELECT seats_taken FROM roundtables WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .get("seats_taken");
    if registered < seats {
        let next = sqlx::query(
            "SELECT id, user_id FROM roundtable_registrations WHERE roundtable_id = $1 AND status = 'waitlisted' \
             ORDER BY updated_at, id LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        match next {
            Some(n) => {
                sqlx::query("UPDATE roundtable_registrations SET status = 'registered', updated_at = $1 WHERE id = $2")
                    .bind(now())
                    .bind(n.get::<i64, _>("id"))
                    .execute(&mut *tx)
                    .await?;
                tell(
                    &mut tx,
                    base_url,
                    id,
                    n.get("user_id"),
                    RegistrationStatus::Registered,
                )
                .await?;
            }
            None => {
                sqlx::query("UPDATE roundtables SET seats_taken = seats_taken - 1 WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// What the team may change of a roundtable, as it is now.
pub async fn settings(db: &Db, id: i64) -> AppResult<Option<RoundtableSetup>> {
    let Some(r) = sqlx::query(
        "SELECT r.id, r.title, r.description, r.starts_at, r.utc_offset_minutes, r.duration_minutes, \
         r.video_url, r.capacity, r.phase, r.cancelled_at, \
         (SELECT COUNT(*) FROM roundtable_registrations g WHERE g.roundtable_id = r.id \
          AND g.status = 'registered') AS registered, \
         (SELECT COUNT(*) FROM roundtable_registrations g WHERE g.roundtable_id = r.id \
          AND g.status = 'waitlisted') AS waitlisted \
         FROM roundtables r WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let agency_ids = sqlx::query(
        "SELECT agency_id FROM roundtable_agencies WHERE roundtable_id = $1 ORDER BY agency_id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|a| a.get("agency_id"))
    .collect();
    let starts_at: i64 = r.get("starts_at");
    let offset = r.get::<i64, _>("utc_offset_minutes") as i32;
    let duration: i64 = r.get("duration_minutes");
    let when = meeting_time(starts_at, offset, duration);
    Ok(Some(RoundtableSetup {
        id,
        title: r.get("title"),
        description: r.get("description"),
        date: when.date,
        time: when.time,
        utc_offset_minutes: offset,
        starts_at,
        duration_minutes: duration,
        video_url: r.get("video_url"),
        capacity: r.get("capacity"),
        agency_ids,
        agencies: vec![],
        registered: r.get("registered"),
        waitlisted: r.get("waitlisted"),
        past: r.get::<String, _>("phase") == "closed"
            || r.get::<Option<i64>, _>("cancelled_at").is_some()
            || starts_at + duration * 60 < now(),
    }))
}

/// A change to a roundtable the team set up.
pub struct RoundtableChange {
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub utc_offset_minutes: i32,
    pub duration_minutes: i64,
    pub video_url: String,
    pub capacity: i64,
    pub agency_ids: Vec<i64>,
}

/// Writes a change (audited with `detail`). More seats go to the waitlist
/// in order, each told; a new time is told to everyone with a seat or on the
/// waitlist (with the new calendar file), whose reminder goes again for the
/// new day. `false` (nothing written) when fewer seats than people holding
/// one are asked for.
pub async fn change(
    db: &Db,
    base_url: &str,
    id: i64,
    c: &RoundtableChange,
    actor: i64,
    detail: &str,
) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let before = sqlx::query(&format!(
        "SELECT starts_at, utc_offset_minutes FROM roundtables WHERE id = $1 {}",
        db.for_update()
    ))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let moved = before.get::<i64, _>("starts_at") != c.starts_at
        || before.get::<i64, _>("utc_offset_minutes") as i32 != c.utc_offset_minutes;
    let registered: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM roundtable_registrations WHERE roundtable_id = $1 AND status = 'registered'",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?
    .get("n");
    if c.capacity < registered {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE roundtables SET title = $1, description = $2, starts_at = $3, utc_offset_minutes = $4, \
         duration_minutes = $5, video_url = $6, capacity = $7 WHERE id = $8",
    )
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.starts_at)
    .bind(c.utc_offset_minutes as i64)
    .bind(c.duration_minutes)
    .bind(&c.video_url)
    .bind(c.capacity)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM roundtable_agencies WHERE roundtable_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for agency in &c.agency_ids {
        sqlx::query("INSERT INTO roundtable_agencies (roundtable_id, agency_id) VALUES ($1, $2)")
            .bind(id)
            .bind(agency)
            .execute(&mut *tx)
            .await?;
    }
    // Seats freed by a larger room go to the waitlist, first come first.
    let promoted = sqlx::query(
        "SELECT id, user_id FROM roundtable_registrations WHERE roundtable_id = $1 AND status = 'waitlisted' \
         ORDER BY updated_at, id LIMIT $2",
    )
    .bind(id)
    .bind(c.capacity - registered)
    .fetch_all(&mut *tx)
    .await?;
    let t = now();
    for p in &promoted {
        sqlx::query("UPDATE roundtable_registrations SET status = 'registered', updated_at = $1 WHERE id = $2")
            .bind(t)
            .bind(p.get::<i64, _>("id"))
            .execute(&mut *tx)
            .await?;
        tell(
            &mut tx,
            base_url,
            id,
            p.get("user_id"),
            RegistrationStatus::Registered,
        )
        .await?;
    }
    sqlx::query("UPDATE roundtables SET seats_taken = $1 WHERE id = $2")
        .bind(registered + promoted.len() as i64)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if moved {
        sqlx::query(
            "UPDATE roundtable_registrations SET reminded_at = NULL WHERE roundtable_id = $1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let (title, file, when, _) = event_of(&mut tx, id, base_url).await?;
        let calendar = calendar_file(file);
        let detail = format!("{}|{}|{}", when.date, when.time, when.zone);
        let told: Vec<i64> = promoted.iter().map(|p| p.get("user_id")).collect();
        // The promoted were told already: their seat's mail has the new time.
        let kind = crate::notifications::model::NotificationKind::RoundtableRescheduled;
        let notice = (kind, title.as_str(), detail.as_str());
        tell_affected(&mut tx, base_url, id, notice, Some(&calendar), &told).await?;
    }
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(actor),
        "roundtable.edit",
        &format!("roundtable:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A roundtable's calendar file, as a mail carries it.
fn calendar_file(body: String) -> MailAttachment {
    MailAttachment {
        name: "mesa.ics".into(),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
        body,
    }
}

/// Tells everyone with a seat or on the waitlist of roundtable `id` (but
/// `skip`) a notice of `kind` about it.
async fn tell_affected(
    tx: &mut Tx,
    base_url: &str,
    id: i64,
    notice: (crate::notifications::model::NotificationKind, &str, &str),
    attachment: Option<&MailAttachment>,
    skip: &[i64],
) -> AppResult<()> {
    let (kind, title, detail) = notice;
    for user_id in affected(tx, id).await? {
        if skip.contains(&user_id) {
            continue;
        }
        let n = crate::notifications::store::Notice {
            user_id,
            kind,
            subject_id: id,
            subject_title: title,
            detail,
        };
        crate::notifications::store::notify_with(tx, base_url, &n, attachment).await?;
    }
    Ok(())
}

/// People with a seat or on the waitlist.
async fn affected(tx: &mut Tx, id: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query(
        "SELECT user_id FROM roundtable_registrations WHERE roundtable_id = $1 \
         AND status IN ('registered', 'waitlisted') ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.get("user_id"))
    .collect())
}

/// Cancels a roundtable that has not happened (audited): everyone with a
/// seat or on the waitlist is told why. `false` if it was cancelled already.
pub async fn cancel_roundtable(
    db: &Db,
    base_url: &str,
    id: i64,
    reason: &str,
    actor: i64,
) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE roundtables SET cancelled_at = $1, cancel_reason = $2 WHERE id = $3 AND cancelled_at IS NULL",
    )
    .bind(now())
    .bind(reason)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !done {
        return Ok(false);
    }
    let title: String = sqlx::query("SELECT title FROM roundtables WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .get("title");
    let kind = crate::notifications::model::NotificationKind::RoundtableCancelled;
    tell_affected(&mut tx, base_url, id, (kind, &title, reason), None, &[]).await?;
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(actor),
        "roundtable.cancel",
        &format!("roundtable:{id}"),
        reason,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The registered people of a roundtable and whether they attended.
pub async fn attendance(db: &Db, id: i64) -> AppResult<Vec<Attendee>> {
    Ok(sqlx::query(
        "SELECT r.user_id, r.attended, u.display_name FROM roundtable_registrations r \
         JOIN users u ON u.id = r.user_id WHERE r.roundtable_id = $1 AND r.status = 'registered' \
         ORDER BY u.display_name, r.user_id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Attendee {
        user_id: r.get("user_id"),
        name: r.get("display_name"),
        attended: r.get::<i64, _>("attended") == 1,
    })
    .collect())
}

/// Marks who of the registered people attended (the others did not).
pub async fn set_attendance(db: &Db, id: i64, attended: &[i64]) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE roundtable_registrations SET attended = 0 WHERE roundtable_id = $1 AND status = 'registered'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if !attended.is_empty() {
        sqlx::query(&format!(
            "UPDATE roundtable_registrations SET attended = 1 WHERE roundtable_id = $1 \
             AND status = 'registered' AND user_id IN ({})",
            crate::db::id_list(attended)
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A process's roundtables as (id, title), latest first, for choosing one.
pub async fn titles(db: &Db, process_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query(&format!(
        "SELECT id, title FROM roundtables WHERE process_id = $1 ORDER BY starts_at DESC, id LIMIT {}",
        ELIGIBLE_MAX
    ))
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("id"), r.get("title")))
    .collect())
}

/// The roundtables where a proposal was presented, in date order.
pub async fn presented_at(
    db: &Db,
    proposal_id: i64,
    utc_offset_minutes: i32,
) -> AppResult<Vec<PresentedAt>> {
    let now = now();
    Ok(sqlx::query(
        "SELECT r.id, r.title, r.starts_at, r.duration_minutes, r.phase, r.chosen_topic, r.cancelled_at \
         FROM roundtable_proposals rp JOIN roundtables r ON r.id = rp.roundtable_id \
         WHERE rp.proposal_id = $1 ORDER BY r.starts_at, r.id LIMIT 50",
    )
    .bind(proposal_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let starts_at: i64 = r.get("starts_at");
        PresentedAt {
            id: r.get("id"),
            title: r.get("title"),
            on: crate::ctx::local_date(starts_at, utc_offset_minutes),
            held: r.get::<Option<i64>, _>("cancelled_at").is_none()
                && (r.get::<String, _>("phase") == "closed"
                    || starts_at + r.get::<i64, _>("duration_minutes") * 60 < now),
            chosen_topic: r.get("chosen_topic"),
        }
    })
    .collect())
}

/// The people who attended a process's roundtables (as the team marked them).
pub async fn attendees_in(db: &Db, process_id: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query(
        "SELECT DISTINCT g.user_id FROM roundtable_registrations g \
         JOIN roundtables r ON r.id = g.roundtable_id WHERE r.process_id = $1 AND g.attended = 1",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("user_id"))
    .collect())
}

/// For each of `ids`: its axis and the agencies that presented there (id,
/// name), which lead the commitments born at it. Two queries for any number.
pub async fn presenters(
    db: &Db,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, (Option<i64>, Vec<(i64, String)>)>> {
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let list = crate::db::id_list(ids);
    for r in sqlx::query(&format!(
        "SELECT id, axis_id FROM roundtables WHERE id IN ({list})"
    ))
    .fetch_all(&db.pool)
    .await?
    {
        out.insert(r.get::<i64, _>("id"), (r.get("axis_id"), vec![]));
    }
    for r in sqlx::query(&format!(
        "SELECT ra.roundtable_id, g.id, g.name FROM roundtable_agencies ra \
         JOIN agencies g ON g.id = ra.agency_id WHERE ra.roundtable_id IN ({list}) ORDER BY g.name"
    ))
    .fetch_all(&db.pool)
    .await?
    {
        if let Some((_, agencies)) = out.get_mut(&r.get::<i64, _>("roundtable_id")) {
            agencies.push((r.get("id"), r.get("name")));
        }
    }
    Ok(out)
}

/// (privacy) The roundtables a person registered for. (A deleted account's
/// registrations stay, anonymous, in the attendance counts of the record.)
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT r.roundtable_id, t.title, r.status, r.attended, r.created_at \
         FROM roundtable_registrations r JOIN roundtables t ON t.id = r.roundtable_id \
         WHERE r.user_id = $1 ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::Value::Array(crate::db::rows_json(&rows)))
}

/// (evaluation) A process's roundtables with their presented proposals and
/// attendance counts (people are counted, never listed).
pub const EVALUATOR_DATA: &[(&str, &str)] = &[
    (
        "mesas",
        "SELECT r.id, r.title, r.description, r.starts_at, r.duration_minutes, r.capacity, r.phase, \
         r.chosen_topic, \
         (SELECT COUNT(*) FROM roundtable_registrations g WHERE g.roundtable_id = r.id \
          AND g.status = 'registered') AS registered, \
         (SELECT COUNT(*) FROM roundtable_registrations g WHERE g.roundtable_id = r.id \
          AND g.attended = 1) AS attended \
         FROM roundtables r WHERE r.process_id = $1 ORDER BY r.starts_at, r.id",
    ),
    (
        "mesas_propuestas",
        "SELECT rp.roundtable_id, rp.proposal_id, rp.position FROM roundtable_proposals rp \
         JOIN roundtables r ON r.id = rp.roundtable_id WHERE r.process_id = $1 \
         ORDER BY rp.roundtable_id, rp.position",
    ),
];

/// Reminds each person with a seat at a roundtable starting within a day, once
/// (the registration keeps when): in the app and by email, with the calendar
/// file and the video link. Whoever got their seat less than a day before is
/// not reminded: the confirmation just told them. At most 500 a run; returns
/// how many were reminded.
pub async fn remind_upcoming(db: &Db, base_url: &str) -> AppResult<usize> {
    let t = now();
    let due = sqlx::query(
        "SELECT g.id, g.roundtable_id, g.user_id FROM roundtables r \
         JOIN roundtable_registrations g ON g.roundtable_id = r.id \
         WHERE r.starts_at > $1 AND r.starts_at <= $2 AND r.phase <> 'closed' AND r.cancelled_at IS NULL \
         AND g.status = 'registered' AND g.reminded_at IS NULL AND g.updated_at < r.starts_at - 86400 \
         ORDER BY r.starts_at, g.id LIMIT 500",
    )
    .bind(t)
    .bind(t + 86_400)
    .fetch_all(&db.pool)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    let mut events: HashMap<i64, (String, String, MeetingTime, String)> = HashMap::new();
    let mut reminded = 0;
    for r in &due {
        let claimed = sqlx::query(
            "UPDATE roundtable_registrations SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL",
        )
        .bind(t)
        .bind(r.get::<i64, _>("id"))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            continue; // another instance took it
        }
        let id: i64 = r.get("roundtable_id");
        if let std::collections::hash_map::Entry::Vacant(slot) = events.entry(id) {
            slot.insert(event_of(&mut tx, id, base_url).await?);
        }
        let (title, file, when, video) = &events[&id];
        let detail = format!("{}|{}|{}|{}", when.date, when.time, when.zone, video);
        let calendar = calendar_file(file.clone());
        crate::notifications::store::notify_with(
            &mut tx,
            base_url,
            &crate::notifications::store::Notice {
                user_id: r.get("user_id"),
                kind: crate::notifications::model::NotificationKind::RoundtableReminder,
                subject_id: id,
                subject_title: title,
                detail: &detail,
            },
            Some(&calendar),
        )
        .await?;
        reminded += 1;
    }
    tx.commit().await?;
    Ok(reminded)
}

/// (open data) A process's roundtables: when, how many registered and came,
/// where they stand and the proposals each presented (none hidden or
/// withdrawn). Never who registered, nor the video link.
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, optional, Dataset, Filter, Kind::*, Source};
    &[Dataset {
        name: "roundtables",
        fields: &[
            field("id", Integer),
            optional("axis_id", Integer),
            optional("axis", Text),
            field("title", Text),
            field("description", Text),
            field("starts_at", DateTime),
            field("duration_minutes", Integer),
            field("capacity", Integer),
            field("registered", Integer),
            optional("attended", Integer),
            one_of("phase", &["part_a", "vote", "part_b", "closed"], false),
            optional("chosen_topic", Text),
            optional("cancelled_at", DateTime),
            optional("cancel_reason", Text),
            field("proposal_ids", Ids),
            field("created_at", DateTime),
        ],
        filters: &[
            Filter::Id {
                param: "axis",
                column: "axis_id",
            },
            Filter::Value {
                param: "phase",
                column: "phase",
            },
        ],
        modified: "created_at",
        source: Source::Built(open_roundtables),
    }]
};

fn open_roundtables(s: crate::dataset::Scope<'_>) -> crate::dataset::Rows<'_> {
    let (db, process_id) = (s.db, s.process.id);
    Box::pin(async move {
        let mut rows = crate::db::json_rows(
            db,
            "SELECT r.id, r.axis_id, a.name AS axis, r.title, r.description, r.starts_at, \
             r.duration_minutes, r.capacity, \
             (SELECT COUNT(*) FROM roundtable_registrations g WHERE g.roundtable_id = r.id \
              AND g.status = 'registered') AS registered, \
             (SELECT COUNT(*) FROM roundtable_registrations g WHERE g.roundtable_id = r.id \
              AND g.status = 'registered' AND g.attended = 1) AS attended, \
             r.phase, r.chosen_topic, r.cancelled_at, r.cancel_reason, r.created_at \
             FROM roundtables r LEFT JOIN process_axes a ON a.id = r.axis_id \
             WHERE r.process_id = $1 ORDER BY r.id LIMIT 100000",
            process_id,
        )
        .await?;
        // Attendance is public once the meeting is over, as on its page.
        let now = now();
        for row in &mut rows {
            let n = |k: &str| row.get(k).and_then(serde_json::Value::as_i64);
            let over = row.get("phase").and_then(|v| v.as_str()) == Some("closed")
                || n("cancelled_at").is_some()
                || n("starts_at").unwrap_or(0) + n("duration_minutes").unwrap_or(0) * 60 < now;
            if !over {
                row.insert("attended".into(), serde_json::Value::Null);
            }
        }
        crate::dataset::attach_ids(
            db,
            &mut rows,
            "proposal_ids",
            "SELECT rp.roundtable_id, rp.proposal_id FROM roundtable_proposals rp \
             JOIN roundtables r ON r.id = rp.roundtable_id JOIN proposals p ON p.id = rp.proposal_id \
             WHERE r.process_id = $1 AND p.state = 'published' AND p.hidden = 0 \
             ORDER BY rp.roundtable_id, rp.position LIMIT 1000000",
            process_id,
        )
        .await?;
        Ok(rows)
    })
}
