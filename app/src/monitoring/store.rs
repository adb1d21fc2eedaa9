//! (ssr) SQL for milestone updates and their evidence. An update is written
//! with its evidence in one transaction; a review changes only a submitted
//! update, so a published one is never rewritten.
use super::model::*;
use crate::db::{id_list, now, Db};
use crate::error::AppResult;
use sqlx::Row as _;

pub struct NewUpdate<'a> {
    pub commitment_id: i64,
    pub milestone_key: &'a str,
    pub progress: Progress,
    pub narrative: &'a str,
    pub agency_id: Option<i64>,
    pub author_id: i64,
}

pub struct NewEvidence {
    pub title: String,
    pub dated_on: String,
    pub url: Option<String>,
    /// (name as sent, sniffed content type, size, name stored under)
    pub file: Option<(String, String, i64, String)>,
}

pub async fn file(db: &Db, u: &NewUpdate<'_>, evidence: &[NewEvidence]) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO milestone_updates (commitment_id, milestone_key, progress, narrative, agency_id, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(u.commitment_id)
    .bind(u.milestone_key)
    .bind(u.progress.as_str())
    .bind(u.narrative)
    .bind(u.agency_id)
    .bind(u.author_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    for e in evidence {
        let (name, kind, size, stored) = match &e.file {
            Some((n, k, s, st)) => (
                Some(n.as_str()),
                Some(k.as_str()),
                Some(*s),
                Some(st.as_str()),
            ),
            None => (None, None, None, None),
        };
        sqlx::query(
            "INSERT INTO update_evidence (update_id, title, dated_on, url, file_name, content_type, size, stored_as) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(&e.title)
        .bind(&e.dated_on)
        .bind(e.url.as_deref())
        .bind(name)
        .bind(kind)
        .bind(size)
        .bind(stored)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub enum Reviewed {
    /// Done; the update's commitment.
    Done(i64),
    NotFound,
    /// Already published or sent back: a review is made once.
    AlreadyReviewed,
}

/// Publishes a submitted update, or sends it back with `reason`.
pub async fn review(db: &Db, id: i64, publish: bool, reason: &str, by: i64) -> AppResult<Reviewed> {
    let Some(row) = sqlx::query("SELECT commitment_id FROM milestone_updates WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(Reviewed::NotFound);
    };
    let t = now();
    let done = sqlx::query(
        "UPDATE milestone_updates SET state = $1, return_reason = $2, reviewed_by = $3, reviewed_at = $4, \
         published_at = $5 WHERE id = $6 AND state = 'submitted'",
    )
    .bind(if publish { "published" } else { "returned" })
    .bind(reason)
    .bind(by)
    .bind(t)
    .bind(publish.then_some(t))
    .bind(id)
    .execute(db.writer())
    .await?
    .rows_affected();
    Ok(if done == 1 {
        Reviewed::Done(row.get("commitment_id"))
    } else {
        Reviewed::AlreadyReviewed
    })
}

/// Most updates one commitment shows (two years of monthly updates on a dozen
/// milestones fit many times over).
const UPDATES_MAX: i64 = 1000;

/// The updates of some commitments, newest first, each with its evidence: the
/// published ones only, or every one. Two queries.
pub async fn updates(
    db: &Db,
    commitment_ids: &[i64],
    published_only: bool,
    utc_offset_minutes: i32,
) -> AppResult<Vec<(i64, MilestoneUpdate)>> {
    if commitment_ids.is_empty() {
        return Ok(vec![]);
    }
    let rows = sqlx::query(&format!(
        "SELECT u.id, u.commitment_id, u.milestone_key, u.progress, u.narrative, u.state, u.return_reason, \
         u.created_at, u.published_at, g.name AS agency FROM milestone_updates u \
         LEFT JOIN agencies g ON g.id = u.agency_id \
         WHERE u.commitment_id IN ({}){} ORDER BY u.id DESC LIMIT {UPDATES_MAX}",
        id_list(commitment_ids),
        if published_only { " AND u.state = 'published'" } else { "" }
    ))
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let mut evidence = evidence_of(db, &ids).await?;
    let date = |at: i64| crate::ctx::local_date(at, utc_offset_minutes);
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            (
                r.get("commitment_id"),
                MilestoneUpdate {
                    id,
                    milestone_key: r.get("milestone_key"),
                    progress: Progress::parse(&r.get::<String, _>("progress"))
                        .unwrap_or(Progress::NoEvidence),
                    narrative: r.get("narrative"),
                    state: UpdateState::parse(&r.get::<String, _>("state")),
                    return_reason: r.get("return_reason"),
                    filed_by: r.get::<Option<String>, _>("agency").unwrap_or_default(),
                    filed_on: date(r.get("created_at")),
                    published_on: r.get::<Option<i64>, _>("published_at").map(date),
                    evidence: evidence.remove(&id).unwrap_or_default(),
                },
            )
        })
        .collect())
}

async fn evidence_of(
    db: &Db,
    update_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, Vec<Evidence>>> {
    let mut out: std::collections::HashMap<i64, Vec<Evidence>> = Default::default();
    if update_ids.is_empty() {
        return Ok(out);
    }
    for r in sqlx::query(&format!(
        "SELECT id, update_id, title, dated_on, url, file_name, size FROM update_evidence \
         WHERE update_id IN ({}) ORDER BY dated_on, id",
        id_list(update_ids)
    ))
    .fetch_all(&db.pool)
    .await?
    {
        let file = r
            .get::<Option<String>, _>("file_name")
            .map(|n| (n, r.get::<Option<i64>, _>("size").unwrap_or(0)));
        out.entry(r.get("update_id")).or_default().push(Evidence {
            id: r.get("id"),
            title: r.get("title"),
            dated_on: r.get("dated_on"),
            url: r.get("url"),
            file,
        });
    }
    Ok(out)
}

/// Each published status of the commitments' milestones, oldest first:
/// (commitment, milestone key, progress, published at).
pub async fn published_statuses(
    db: &Db,
    commitment_ids: &[i64],
) -> AppResult<Vec<(i64, String, Progress, i64)>> {
    if commitment_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(sqlx::query(&format!(
        "SELECT commitment_id, milestone_key, progress, published_at FROM milestone_updates \
         WHERE commitment_id IN ({}) AND state = 'published' ORDER BY published_at, id LIMIT 100000",
        id_list(commitment_ids)
    ))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .filter_map(|r| {
        Some((
            r.get("commitment_id"),
            r.get("milestone_key"),
            Progress::parse(&r.get::<String, _>("progress"))?,
            r.get("published_at"),
        ))
    })
    .collect())
}

/// A kept file: its commitment, the state of its update, the name it was sent
/// with, its type and where it is stored.
pub struct StoredFile {
    pub commitment_id: i64,
    pub state: UpdateState,
    pub file_name: String,
    pub content_type: String,
    pub stored_as: String,
}

pub async fn stored_file(db: &Db, evidence_id: i64) -> AppResult<Option<StoredFile>> {
    Ok(sqlx::query(
        "SELECT u.commitment_id, u.state, e.file_name, e.content_type, e.stored_as FROM update_evidence e \
         JOIN milestone_updates u ON u.id = e.update_id WHERE e.id = $1 AND e.stored_as IS NOT NULL",
    )
    .bind(evidence_id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| StoredFile {
        commitment_id: r.get("commitment_id"),
        state: UpdateState::parse(&r.get::<String, _>("state")),
        file_name: r.get("file_name"),
        content_type: r.get("content_type"),
        stored_as: r.get("stored_as"),
    }))
}

/// The reminder cadence (days) of each of the processes.
pub async fn cadences(
    db: &Db,
    process_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, i64>> {
    let mut out: std::collections::HashMap<i64, i64> = process_ids
        .iter()
        .map(|id| (*id, DEFAULT_CADENCE_DAYS))
        .collect();
    if process_ids.is_empty() {
        return Ok(out);
    }
    for r in sqlx::query(&format!(
        "SELECT process_id, reminder_days FROM monitoring_settings WHERE process_id IN ({})",
        id_list(process_ids)
    ))
    .fetch_all(&db.pool)
    .await?
    {
        out.insert(r.get("process_id"), r.get("reminder_days"));
    }
    Ok(out)
}

pub async fn set_cadence(db: &Db, process_id: i64, days: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO monitoring_settings (process_id, reminder_days) VALUES ($1, $2) \
         ON CONFLICT (process_id) DO UPDATE SET reminder_days = excluded.reminder_days",
    )
    .bind(process_id)
    .bind(days)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// A reminder to an agency's members for one period: recorded and notified
/// in one transaction, and only if this period's was not sent yet (by this
/// server or another). Whether it went.
pub async fn remind(
    db: &Db,
    base_url: &str,
    process: (i64, &str),
    agency_id: i64,
    period: i64,
    members: &[i64],
    detail: &str,
) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let fresh = sqlx::query(
        "INSERT INTO monitoring_reminders (process_id, agency_id, period, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(process.0)
    .bind(agency_id)
    .bind(period)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if fresh == 0 {
        return Ok(false);
    }
    for user_id in members {
        let notice = crate::notifications::store::Notice {
            user_id: *user_id,
            kind: crate::notifications::model::NotificationKind::MonitoringDue,
            subject_id: process.0,
            subject_title: process.1,
            detail,
        };
        crate::notifications::store::notify(&mut tx, base_url, &notice).await?;
    }
    tx.commit().await?;
    Ok(true)
}

pub async fn log_followup(db: &Db, commitment_id: i64, f: &FollowUp, by: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO followup_meetings (commitment_id, held_on, attendees, organizations, minutes, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(commitment_id)
    .bind(&f.held_on)
    .bind(f.attendees)
    .bind(&f.organizations)
    .bind(&f.minutes)
    .bind(by)
    .bind(now())
    .execute(db.writer())
    .await?;
    Ok(())
}

/// A commitment's follow-up meetings, the latest first.
pub async fn followups(db: &Db, commitment_id: i64) -> AppResult<Vec<FollowUp>> {
    Ok(sqlx::query(
        "SELECT id, held_on, attendees, organizations, minutes FROM followup_meetings \
         WHERE commitment_id = $1 ORDER BY held_on DESC, id DESC LIMIT 500",
    )
    .bind(commitment_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| FollowUp {
        id: r.get("id"),
        held_on: r.get("held_on"),
        attendees: r.get("attendees"),
        organizations: r.get("organizations"),
        minutes: r.get("minutes"),
    })
    .collect())
}

/// How many follow-up meetings were held on a process's commitments.
pub async fn followup_count(db: &Db, process_id: i64) -> AppResult<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM followup_meetings f JOIN commitments c ON c.id = f.commitment_id \
         WHERE c.process_id = $1",
    )
    .bind(process_id)
    .fetch_one(&db.pool)
    .await?
    .get("n"))
}

/// (evaluation) Every progress update of a process's commitments (sent back
/// and waiting ones too) with its evidence, and the follow-up meetings.
pub const EVALUATOR_DATA: &[(&str, &str)] = &[
    (
        "avances",
        "SELECT m.id, m.commitment_id, m.milestone_key, m.progress, m.narrative, m.state, \
         m.return_reason, g.name AS agency, m.created_at, m.reviewed_at, m.published_at \
         FROM milestone_updates m LEFT JOIN agencies g ON g.id = m.agency_id \
         JOIN commitments c ON c.id = m.commitment_id WHERE c.process_id = $1 ORDER BY m.id",
    ),
    (
        "avances_evidencia",
        "SELECT e.id, e.update_id, e.title, e.dated_on, e.url, e.file_name, e.content_type, e.size \
         FROM update_evidence e JOIN milestone_updates m ON m.id = e.update_id \
         JOIN commitments c ON c.id = m.commitment_id WHERE c.process_id = $1 ORDER BY e.id",
    ),
    (
        "reuniones_seguimiento",
        "SELECT f.id, f.commitment_id, f.held_on, f.attendees, f.organizations, f.minutes \
         FROM followup_meetings f JOIN commitments c ON c.id = f.commitment_id \
         WHERE c.process_id = $1 ORDER BY f.held_on, f.id",
    ),
];

const PROGRESS: &[&str] = &[
    "no_evidence",
    "not_started",
    "limited",
    "substantial",
    "complete",
];

/// (open data) Each milestone of the sheets past their draft with its last
/// published status; the published progress updates (never one waiting or sent
/// back, nor its reason); and their evidence.
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, optional, Dataset, Filter, Kind::*, Source};
    &[
        Dataset {
            name: "milestones",
            fields: &[
                field("id", Integer),
                field("commitment_id", Integer),
                field("code", Text),
                field("key", Text),
                field("title", Text),
                field("output", Text),
                field("starts_on", Text),
                field("ends_on", Text),
                field("responsible", Text),
                one_of("progress", PROGRESS, true),
                optional("progress_at", DateTime),
            ],
            filters: &[Filter::Id {
                param: "commitment",
                column: "commitment_id",
            }],
            modified: "progress_at",
            source: Source::Built(open_milestones),
        },
        Dataset {
            name: "progress_updates",
            fields: &[
                field("id", Integer),
                field("commitment_id", Integer),
                field("milestone_key", Text),
                one_of("progress", PROGRESS, false),
                field("narrative", Text),
                optional("agency", Text),
                field("published_at", DateTime),
            ],
            filters: &[Filter::Id {
                param: "commitment",
                column: "commitment_id",
            }],
            modified: "published_at",
            source: Source::Sql(
                "SELECT m.id, m.commitment_id, m.milestone_key, m.progress, m.narrative, \
                 g.name AS agency, m.published_at FROM milestone_updates m \
                 LEFT JOIN agencies g ON g.id = m.agency_id JOIN commitments c ON c.id = m.commitment_id \
                 WHERE c.process_id = $1 AND c.state <> 'draft' AND m.state = 'published'",
            ),
        },
        Dataset {
            name: "evidence",
            fields: &[
                field("id", Integer),
                field("update_id", Integer),
                field("title", Text),
                field("dated_on", Date),
                optional("url", Text),
                optional("file_name", Text),
                optional("content_type", Text),
                optional("size", Integer),
                field("published_at", DateTime),
            ],
            filters: &[Filter::Id {
                param: "update",
                column: "update_id",
            }],
            modified: "published_at",
            source: Source::Sql(
                "SELECT e.id, e.update_id, e.title, e.dated_on, \
                 CASE WHEN e.stored_as IS NULL THEN e.url ELSE '/evidence/' || e.id END AS url, \
                 e.file_name, e.content_type, e.size, m.published_at FROM update_evidence e \
                 JOIN milestone_updates m ON m.id = e.update_id JOIN commitments c ON c.id = m.commitment_id \
                 WHERE c.process_id = $1 AND c.state <> 'draft' AND m.state = 'published'",
            ),
        },
    ]
};

fn open_milestones(s: crate::dataset::Scope<'_>) -> crate::dataset::Rows<'_> {
    let (db, process_id) = (s.db, s.process.id);
    Box::pin(async move {
        let sheets = crate::commitments::store::plan(db, process_id).await?;
        let ids: Vec<i64> = sheets.iter().map(|c| c.id).collect();
        // Each milestone's last published status (they come oldest first).
        let last: std::collections::HashMap<(i64, String), (Progress, i64)> =
            published_statuses(db, &ids)
                .await?
                .into_iter()
                .map(|(c, key, progress, at)| ((c, key), (progress, at)))
                .collect();
        let mut rows = Vec::new();
        for c in &sheets {
            for m in &c.sheet.milestones {
                // Keys are `m<n>`, never handed out twice in a sheet: a stable id.
                let n: i64 = m.key.trim_start_matches('m').parse().unwrap_or(0);
                let last = last.get(&(c.id, m.key.clone()));
                let mut row = crate::dataset::Record::new();
                row.insert("id".into(), (c.id * 10_000 + n).into());
                row.insert("commitment_id".into(), c.id.into());
                row.insert("code".into(), c.code.clone().into());
                for (name, value) in [
                    ("key", &m.key),
                    ("title", &m.title),
                    ("output", &m.output),
                    ("starts_on", &m.starts_on),
                    ("ends_on", &m.ends_on),
                    ("responsible", &m.responsible),
                ] {
                    row.insert(name.into(), value.clone().into());
                }
                row.insert("progress".into(), last.map(|s| s.0.as_str()).into());
                row.insert("progress_at".into(), last.map(|s| s.1).into());
                rows.push(row);
            }
        }
        rows.sort_by_key(|r| r.get("id").and_then(|v| v.as_i64()));
        Ok(rows)
    })
}
