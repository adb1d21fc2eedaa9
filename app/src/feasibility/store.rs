//! (ssr) SQL for routing proposals to agencies, verdicts, publication of answers
//! and feasibility meetings. Every change is one transaction with its history
//! entries and the notifications it causes.
use super::model::*;
use crate::db::{bind_all, count, id_list, now, param, Arg, Db, Row, Tx};
use crate::error::AppResult;
use crate::notifications::model::NotificationKind;
use crate::notifications::store::{notify, Notice};
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;

/// Proposals that stand: routing is about these.
const STANDING: &str = "p.state = 'published' AND p.hidden = 0";
/// Assignments that are current (not superseded by a re-assignment).
const CURRENT: &str = "a.status <> 'reassigned'";

fn flag(r: &Row, column: &str) -> bool {
    r.get::<i64, _>(column) == 1
}

fn verdict(r: &Row) -> Option<Verdict> {
    r.get::<Option<String>, _>("verdict")
        .as_deref()
        .and_then(Verdict::parse)
}

fn status(r: &Row) -> AssignmentStatus {
    AssignmentStatus::parse(&r.get::<String, _>("status")).unwrap_or(AssignmentStatus::Pending)
}

/// A history entry of a proposal's routing or answer.
#[allow(clippy::too_many_arguments)]
async fn event(
    tx: &mut Tx,
    proposal_id: i64,
    actor: i64,
    event: &str,
    agency_id: i64,
    assignment_id: i64,
    detail: &str,
    public: bool,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO proposal_events (proposal_id, actor_id, event, agency_id, assignment_id, detail, public, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(proposal_id)
    .bind(actor)
    .bind(event)
    .bind(agency_id)
    .bind(assignment_id)
    .bind(detail)
    .bind(public as i64)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells every member of `agency_id` that `count` proposals of a process were assigned.
async fn notify_agency(
    tx: &mut Tx,
    base_url: &str,
    agency_id: i64,
    process: (i64, &str),
    count: i64,
) -> AppResult<()> {
    let members: Vec<i64> = sqlx::query("SELECT user_id FROM agency_members WHERE agency_id = $1")
        .bind(agency_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.get("user_id"))
        .collect();
    let count = count.to_string();
    for user_id in members {
        let notice = Notice {
            user_id,
            kind: NotificationKind::ProposalsAssigned,
            subject_id: process.0,
            subject_title: process.1,
            detail: &count,
        };
        notify(tx, base_url, &notice).await?;
    }
    Ok(())
}

/// Of `ids`, the proposals of the process that stand.
pub async fn standing_in_process(db: &Db, process_id: i64, ids: &[i64]) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(sqlx::query(&format!(
        "SELECT p.id FROM proposals p WHERE p.process_id = $1 AND {STANDING} AND p.id IN ({})",
        id_list(ids)
    ))
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("id"))
    .collect())
}

/// Of `ids`, the agencies that exist.
pub async fn existing_agencies(db: &Db, ids: &[i64]) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(sqlx::query(&format!(
        "SELECT id FROM agencies WHERE id IN ({})",
        id_list(ids)
    ))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("id"))
    .collect())
}

pub struct Routing<'a> {
    pub due_on: &'a str,
    pub note: &'a str,
    pub actor: i64,
}

/// Inserts a current assignment unless the pair already has one; its id if inserted.
async fn insert_assignment(
    tx: &mut Tx,
    proposal_id: i64,
    agency_id: i64,
    r: &Routing<'_>,
) -> AppResult<Option<i64>> {
    let id = sqlx::query(
        "INSERT INTO feasibility_assignments (proposal_id, agency_id, due_on, note, assigned_by, assigned_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (proposal_id, agency_id) WHERE status <> 'reassigned' DO NOTHING RETURNING id",
    )
    .bind(proposal_id)
    .bind(agency_id)
    .bind(r.due_on)
    .bind(r.note)
    .bind(r.actor)
    .bind(now())
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| row.get::<i64, _>("id"));
    if let Some(id) = id {
        event(
            tx,
            proposal_id,
            r.actor,
            "assigned",
            agency_id,
            id,
            "",
            true,
        )
        .await?;
    }
    Ok(id)
}

/// Assigns every proposal to every agency, skipping pairs already assigned, and
/// tells the agencies. Returns how many assignments were made.
pub async fn assign(
    db: &Db,
    base_url: &str,
    process: (i64, &str),
    proposal_ids: &[i64],
    agency_ids: &[i64],
    r: &Routing<'_>,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let mut made = 0;
    for &agency_id in agency_ids {
        let mut for_agency = 0;
        for &proposal_id in proposal_ids {
            if insert_assignment(&mut tx, proposal_id, agency_id, r)
                .await?
                .is_some()
            {
                for_agency += 1;
            }
        }
        if for_agency > 0 {
            notify_agency(&mut tx, base_url, agency_id, process, for_agency).await?;
        }
        made += for_agency;
    }
    tx.commit().await?;
    Ok(made)
}

/// What a re-assignment found.
pub enum Reassigned {
    Done,
    /// The assignment is no longer current, or was answered meanwhile.
    NotReassignable,
    SameAgency,
    /// The new agency already has the proposal.
    AlreadyAssigned,
    NotFound,
}

/// Moves a pending or returned assignment to another agency.
pub async fn reassign(
    db: &Db,
    base_url: &str,
    assignment_id: i64,
    agency_id: i64,
    r: &Routing<'_>,
) -> AppResult<Reassigned> {
    let mut tx = db.begin_write().await?;
    let Some(old) = sqlx::query(
        "SELECT a.proposal_id, a.agency_id, a.status, p.process_id, pr.title AS process_title \
         FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
         JOIN processes pr ON pr.id = p.process_id WHERE a.id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Reassigned::NotFound);
    };
    if !matches!(
        status(&old),
        AssignmentStatus::Pending | AssignmentStatus::Returned
    ) {
        return Ok(Reassigned::NotReassignable);
    }
    let old_agency: i64 = old.get("agency_id");
    if old_agency == agency_id {
        return Ok(Reassigned::SameAgency);
    }
    let proposal_id: i64 = old.get("proposal_id");
    sqlx::query(
        "UPDATE feasibility_assignments SET status = 'reassigned', version = version + 1 WHERE id = $1",
    )
    .bind(assignment_id)
    .execute(&mut *tx)
    .await?;
    event(
        &mut tx,
        proposal_id,
        r.actor,
        "reassigned",
        old_agency,
        assignment_id,
        "",
        true,
    )
    .await?;
    if insert_assignment(&mut tx, proposal_id, agency_id, r)
        .await?
        .is_none()
    {
        return Ok(Reassigned::AlreadyAssigned);
    }
    let process_title: String = old.get("process_title");
    let process = (old.get::<i64, _>("process_id"), process_title.as_str());
    notify_agency(&mut tx, base_url, agency_id, process, 1).await?;
    tx.commit().await?;
    Ok(Reassigned::Done)
}

pub struct Answer {
    pub verdict: Verdict,
    pub willing: bool,
    pub public_answer: String,
    pub private_notes: String,
}

pub enum Answered {
    Saved {
        published: bool,
    },
    /// Someone changed the assignment since the form was loaded.
    Stale,
    NotAssigned,
}

/// A published answer to tell the proposal's author about.
struct Published {
    assignment_id: i64,
    proposal_id: i64,
    title: String,
    author_id: i64,
    agency: String,
}

async fn tell_authors(tx: &mut Tx, base_url: &str, published: &[Published]) -> AppResult<()> {
    for p in published {
        let notice = Notice {
            user_id: p.author_id,
            kind: NotificationKind::AnswerPublished,
            subject_id: p.proposal_id,
            subject_title: &p.title,
            detail: &p.agency,
        };
        notify(tx, base_url, &notice).await?;
    }
    Ok(())
}

const PUBLISHED_COLUMNS: &str = "a.id, a.proposal_id, p.title, p.author_id, g.name AS agency \
     FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
     JOIN agencies g ON g.id = a.agency_id";

fn published(r: &Row) -> Published {
    Published {
        assignment_id: r.get("id"),
        proposal_id: r.get("proposal_id"),
        title: r.get("title"),
        author_id: r.get("author_id"),
        agency: r.get("agency"),
    }
}

/// Records an agency's verdict, unless the assignment changed since `version`.
/// The answer is public at once unless the process holds answers and its
/// feasibility stage has not closed by `today`.
#[allow(clippy::too_many_arguments)]
pub async fn answer(
    db: &Db,
    base_url: &str,
    proposal_id: i64,
    agency_id: i64,
    version: i64,
    a: &Answer,
    actor: i64,
    today: &str,
) -> AppResult<Answered> {
    let mut tx = db.begin_write().await?;
    let Some(current) = sqlx::query(&format!(
        "SELECT a.version, a.verdict, a.published_at, pr.answers_held, \
         (SELECT s.ends_on FROM process_stages s WHERE s.process_id = pr.id AND s.stage = 'feasibility') AS closes_on, \
         {PUBLISHED_COLUMNS} JOIN processes pr ON pr.id = p.process_id \
         WHERE a.proposal_id = $1 AND a.agency_id = $2 AND {CURRENT}"
    ))
    .bind(proposal_id)
    .bind(agency_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Answered::NotAssigned);
    };
    if current.get::<i64, _>("version") != version {
        return Ok(Answered::Stale);
    }
    let closes_on: Option<String> = current.get("closes_on");
    let held = flag(&current, "answers_held") && closes_on.is_none_or(|c| c.as_str() >= today);
    let was_published = current.get::<Option<i64>, _>("published_at").is_some();
    let publish = was_published || !held;
    let t = now();
    let status = if a.verdict == Verdict::OutsideRemit {
        "returned"
    } else {
        "answered"
    };
    let changed = sqlx::query(
        "UPDATE feasibility_assignments SET status = $1, verdict = $2, willing = $3, public_answer = $4, \
         private_notes = $5, answered_by = $6, answered_at = $7, published_at = $8, version = version + 1 \
         WHERE id = $9 AND version = $10",
    )
    .bind(status)
    .bind(a.verdict.as_str())
    .bind(a.willing as i64)
    .bind(&a.public_answer)
    .bind(&a.private_notes)
    .bind(actor)
    .bind(t)
    .bind(publish.then_some(t))
    .bind(current.get::<i64, _>("id"))
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(Answered::Stale);
    }
    let first = current.get::<Option<String>, _>("verdict").is_none();
    let name = if first { "answered" } else { "answer_changed" };
    let p = published(&current);
    event(
        &mut tx,
        proposal_id,
        actor,
        name,
        agency_id,
        p.assignment_id,
        a.verdict.as_str(),
        publish,
    )
    .await?;
    if publish {
        tell_authors(&mut tx, base_url, &[p]).await?;
    }
    tx.commit().await?;
    Ok(Answered::Saved { published: publish })
}

/// Publishes every held answer of a process at once; returns how many.
pub async fn publish_held(
    db: &Db,
    base_url: &str,
    process_id: i64,
    actor: Option<i64>,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(&format!(
        "SELECT {PUBLISHED_COLUMNS} WHERE p.process_id = $1 AND a.verdict IS NOT NULL \
         AND a.published_at IS NULL"
    ))
    .bind(process_id)
    .fetch_all(&mut *tx)
    .await?;
    let held: Vec<Published> = rows.iter().map(published).collect();
    if held.is_empty() {
        return Ok(0);
    }
    let ids = id_list(&held.iter().map(|p| p.assignment_id).collect::<Vec<_>>());
    let t = now();
    sqlx::query(&format!(
        "UPDATE feasibility_assignments SET published_at = $1, version = version + 1 WHERE id IN ({ids})"
    ))
    .bind(t)
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "UPDATE proposal_events SET public = 1 WHERE assignment_id IN ({ids})"
    ))
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO proposal_events (proposal_id, actor_id, event, agency_id, assignment_id, detail, public, at) \
         SELECT a.proposal_id, $1, 'answer_published', a.agency_id, a.id, a.verdict, 1, $2 \
         FROM feasibility_assignments a WHERE a.id IN ({ids})"
    ))
    .bind(actor)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    tell_authors(&mut tx, base_url, &held).await?;
    tx.commit().await?;
    Ok(held.len() as i64)
}

/// Publishes the held answers of every process whose feasibility stage closed
/// before `today` (run by the server's scheduled job).
pub async fn publish_due(db: &Db, base_url: &str, today: &str) -> AppResult<i64> {
    let processes: Vec<i64> = sqlx::query(
        "SELECT DISTINCT p.process_id FROM feasibility_assignments a \
         JOIN proposals p ON p.id = a.proposal_id \
         JOIN process_stages s ON s.process_id = p.process_id AND s.stage = 'feasibility' \
         WHERE a.verdict IS NOT NULL AND a.published_at IS NULL AND s.ends_on < $1",
    )
    .bind(today)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("process_id"))
    .collect();
    let mut total = 0;
    for id in processes {
        total += publish_held(db, base_url, id, None).await?;
    }
    Ok(total)
}

/// Sets whether answers are held; releasing them publishes the held ones.
pub async fn set_held(
    db: &Db,
    base_url: &str,
    process_id: i64,
    held: bool,
    actor: i64,
) -> AppResult<()> {
    sqlx::query("UPDATE processes SET answers_held = $1 WHERE id = $2")
        .bind(held as i64)
        .bind(process_id)
        .execute(db.writer())
        .await?;
    if !held {
        publish_held(db, base_url, process_id, Some(actor)).await?;
    }
    Ok(())
}

/// Whether the process holds its answers.
pub async fn answers_held(db: &Db, process_id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query("SELECT answers_held FROM processes WHERE id = $1")
            .bind(process_id)
            .fetch_optional(&db.pool)
            .await?
            .is_some_and(|r| flag(&r, "answers_held")),
    )
}

/// Per agency, its current assignments in the process by state. With `agency`,
/// that agency only.
pub async fn load(
    db: &Db,
    process_id: i64,
    today: &str,
    agency: Option<i64>,
) -> AppResult<Vec<AgencyLoad>> {
    let tally = |cond: &str| {
        format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
    };
    let only = agency
        .map(|a| format!("WHERE g.id = {a}"))
        .unwrap_or_default();
    let sql = format!(
        "SELECT g.id, g.name, {} AS pending, {} AS answered, {} AS returned, {} AS overdue \
         FROM agencies g LEFT JOIN feasibility_assignments a ON a.agency_id = g.id AND {CURRENT} \
         AND a.proposal_id IN (SELECT p.id FROM proposals p WHERE p.process_id = $1 AND {STANDING}) \
         {only} GROUP BY g.id, g.name ORDER BY g.name",
        tally("a.status = 'pending'"),
        tally("a.status = 'answered'"),
        tally("a.status = 'returned'"),
        tally("a.status = 'pending' AND a.due_on < $2"),
    );
    Ok(sqlx::query(&sql)
        .bind(process_id)
        .bind(today)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| AgencyLoad {
            agency_id: r.get("id"),
            agency: r.get("name"),
            pending: r.get("pending"),
            answered: r.get("answered"),
            returned: r.get("returned"),
            overdue: r.get("overdue"),
        })
        .collect())
}

/// (proposals standing without a published answer, answers held) in a process.
pub async fn publication_counts(db: &Db, process_id: i64) -> AppResult<(i64, i64)> {
    let r = sqlx::query(&format!(
        "SELECT \
         (SELECT COUNT(*) FROM proposals p WHERE p.process_id = $1 AND {STANDING} AND NOT EXISTS \
           (SELECT 1 FROM feasibility_assignments a WHERE a.proposal_id = p.id \
            AND a.status = 'answered' AND a.published_at IS NOT NULL)) AS unanswered, \
         (SELECT COUNT(*) FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
           WHERE p.process_id = $1 AND a.verdict IS NOT NULL AND a.published_at IS NULL) AS held"
    ))
    .bind(process_id)
    .fetch_one(&db.pool)
    .await?;
    Ok((r.get("unanswered"), r.get("held")))
}

/// One page of the process's standing proposals with their current assignments.
pub async fn routing_page(
    db: &Db,
    process_id: i64,
    q: &RoutingQuery,
    today: &str,
) -> AppResult<Page<RoutingRow>> {
    let (page, offset) = window(q.page);
    let mut args = Vec::new();
    let mut conditions = vec![
        format!("p.process_id = {}", param(&mut args, Arg::Int(process_id))),
        STANDING.to_string(),
    ];
    let terms = crate::search::terms(&q.q);
    if !terms.is_empty() {
        let n = param(&mut args, Arg::Text(db.text_query(&terms, false)));
        conditions.push(db.text_match("proposals", "p.id", &n));
    }
    if let Some(axis) = q.axis {
        conditions.push(format!("p.axis_id = {}", param(&mut args, Arg::Int(axis))));
    }
    let agency = match q.agency {
        Some(a) => format!(" AND a.agency_id = {}", param(&mut args, Arg::Int(a))),
        None => String::new(),
    };
    let exists = |cond: &str| {
        format!(
            "EXISTS (SELECT 1 FROM feasibility_assignments a WHERE a.proposal_id = p.id AND {CURRENT}{agency}{cond})"
        )
    };
    let status = match q.status.as_str() {
        "unassigned" => Some(format!("NOT {}", exists(""))),
        "pending" => Some(exists(" AND a.status = 'pending'")),
        "overdue" => {
            let d = param(&mut args, Arg::Text(today.to_string()));
            Some(exists(&format!(
                " AND a.status = 'pending' AND a.due_on < {d}"
            )))
        }
        "answered" => Some(exists(" AND a.status = 'answered'")),
        "returned" => Some(exists(" AND a.status = 'returned'")),
        "unpublished" => Some(format!(
            "NOT {}",
            exists(" AND a.status = 'answered' AND a.published_at IS NOT NULL")
        )),
        _ if q.agency.is_some() => Some(exists("")),
        _ => None,
    };
    conditions.extend(status);
    let filter = conditions.join(" AND ");
    let total = count(
        db,
        &format!("SELECT COUNT(*) AS n FROM proposals p WHERE {filter}"),
        &args,
    )
    .await?;
    let rows = bind_all(
        &format!(
            "SELECT p.id, p.title, p.state, x.name AS axis FROM proposals p \
             JOIN process_axes x ON x.id = p.axis_id WHERE {filter} \
             ORDER BY p.created_at DESC, p.id DESC LIMIT {PER_PAGE} OFFSET {offset}"
        ),
        &args,
    )
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let mut briefs = briefs_of(db, &ids, today).await?;
    let items = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            RoutingRow {
                proposal_id: id,
                title: r.get("title"),
                axis: r.get("axis"),
                withdrawn: r.get::<String, _>("state") == "withdrawn",
                assignments: briefs.remove(&id).unwrap_or_default(),
            }
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// The current assignments of several proposals, in one query.
async fn briefs_of(
    db: &Db,
    ids: &[i64],
    today: &str,
) -> AppResult<std::collections::HashMap<i64, Vec<AssignmentBrief>>> {
    let mut map = std::collections::HashMap::<i64, Vec<AssignmentBrief>>::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let rows = sqlx::query(&format!(
        "SELECT a.proposal_id, a.agency_id, g.name AS agency, a.status, a.verdict, a.due_on, a.published_at \
         FROM feasibility_assignments a JOIN agencies g ON g.id = a.agency_id \
         WHERE a.proposal_id IN ({}) AND {CURRENT} ORDER BY g.name",
        id_list(ids)
    ))
    .fetch_all(&db.pool)
    .await?;
    for r in &rows {
        let status = status(r);
        let due_on: String = r.get("due_on");
        map.entry(r.get("proposal_id"))
            .or_default()
            .push(AssignmentBrief {
                agency_id: r.get("agency_id"),
                agency: r.get("agency"),
                status,
                verdict: verdict(r),
                overdue: status == AssignmentStatus::Pending && due_on.as_str() < today,
                due_on,
                published: r.get::<Option<i64>, _>("published_at").is_some(),
            });
    }
    Ok(map)
}

/// The agencies a proposal was ever assigned to.
pub async fn agencies_involved(db: &Db, proposal_id: i64) -> AppResult<Vec<i64>> {
    Ok(
        sqlx::query(
            "SELECT DISTINCT agency_id FROM feasibility_assignments WHERE proposal_id = $1",
        )
        .bind(proposal_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.get("agency_id"))
        .collect(),
    )
}

/// Every assignment of a proposal, superseded ones included, oldest first.
/// `viewer_agencies`: the agencies the viewer answers for.
pub async fn assignments(
    db: &Db,
    proposal_id: i64,
    viewer_agencies: &[i64],
    today: &str,
    offset_minutes: i32,
) -> AppResult<Vec<AssignmentDetail>> {
    let date = |r: &Row, c: &str| {
        r.get::<Option<i64>, _>(c)
            .map(|t| crate::ctx::local_date(t, offset_minutes))
    };
    Ok(sqlx::query(
        "SELECT a.*, g.name AS agency, u.display_name AS answered_by_name \
         FROM feasibility_assignments a JOIN agencies g ON g.id = a.agency_id \
         LEFT JOIN users u ON u.id = a.answered_by WHERE a.proposal_id = $1 ORDER BY a.assigned_at, a.id",
    )
    .bind(proposal_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let status = status(r);
        let agency_id: i64 = r.get("agency_id");
        let due_on: String = r.get("due_on");
        AssignmentDetail {
            id: r.get("id"),
            agency_id,
            agency: r.get("agency"),
            status,
            overdue: status == AssignmentStatus::Pending && due_on.as_str() < today,
            due_on,
            note: r.get("note"),
            verdict: verdict(r),
            willing: r.get::<Option<i64>, _>("willing").map(|w| w == 1),
            public_answer: r.get("public_answer"),
            private_notes: r.get("private_notes"),
            answered_by: r.get("answered_by_name"),
            answered_on: date(r, "answered_at"),
            published_on: date(r, "published_at"),
            version: r.get("version"),
            can_answer: status != AssignmentStatus::Reassigned
                && viewer_agencies.contains(&agency_id),
        }
    })
    .collect())
}

/// The published answers of a proposal, for its public page.
pub async fn public_answers(
    db: &Db,
    proposal_id: i64,
    offset_minutes: i32,
) -> AppResult<Vec<PublicAnswer>> {
    Ok(sqlx::query(&format!(
        "SELECT g.name AS agency, a.verdict, a.willing, a.public_answer, a.published_at \
         FROM feasibility_assignments a JOIN agencies g ON g.id = a.agency_id \
         WHERE a.proposal_id = $1 AND {CURRENT} AND a.published_at IS NOT NULL \
         ORDER BY a.published_at, a.id"
    ))
    .bind(proposal_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .filter_map(|r| {
        Some(PublicAnswer {
            agency: r.get("agency"),
            verdict: verdict(r)?,
            willing: r.get::<Option<i64>, _>("willing") == Some(1),
            answer: r.get("public_answer"),
            on: crate::ctx::local_date(r.get("published_at"), offset_minutes),
        })
    })
    .collect())
}

/// One page of the assignments of `agencies`, filtered by `QUEUE_FILTERS`.
pub async fn queue(
    db: &Db,
    agencies: &[i64],
    q: &QueueQuery,
    today: &str,
) -> AppResult<Page<QueueRow>> {
    let (page, offset) = window(q.page);
    let mut args = Vec::new();
    let cond = match q.status.as_str() {
        "overdue" => format!(
            "a.status = 'pending' AND a.due_on < {}",
            param(&mut args, Arg::Text(today.to_string()))
        ),
        "answered" => "a.status = 'answered'".to_string(),
        "returned" => "a.status = 'returned'".to_string(),
        _ => "a.status = 'pending'".to_string(),
    };
    let filter = format!("a.agency_id IN ({}) AND {cond}", id_list(agencies));
    let from = "FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
                JOIN processes pr ON pr.id = p.process_id JOIN agencies g ON g.id = a.agency_id";
    let total = count(
        db,
        &format!("SELECT COUNT(*) AS n {from} WHERE {filter}"),
        &args,
    )
    .await?;
    let rows = bind_all(
        &format!(
            "SELECT a.proposal_id, p.title, pr.title AS process_title, g.name AS agency, a.status, a.verdict, \
             a.due_on {from} WHERE {filter} ORDER BY a.due_on, a.id LIMIT {PER_PAGE} OFFSET {offset}"
        ),
        &args,
    )
    .fetch_all(&db.pool)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            let status = status(r);
            let due_on: String = r.get("due_on");
            QueueRow {
                proposal_id: r.get("proposal_id"),
                title: r.get("title"),
                process_title: r.get("process_title"),
                agency: r.get("agency"),
                status,
                verdict: verdict(r),
                overdue: status == AssignmentStatus::Pending && due_on.as_str() < today,
                due_on,
            }
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// The proposals of the process currently assigned to an agency (for meetings).
pub async fn assigned_to(
    db: &Db,
    process_id: i64,
    agency_id: i64,
) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query(&format!(
        "SELECT p.id, p.title FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
         WHERE p.process_id = $1 AND a.agency_id = $2 AND {CURRENT} ORDER BY p.id DESC \
         LIMIT {MEETING_PICK_MAX}"
    ))
    .bind(process_id)
    .bind(agency_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("id"), r.get("title")))
    .collect())
}

pub struct NewMeeting {
    pub held_on: String,
    pub attendees: String,
    pub minutes: String,
    pub proposal_ids: Vec<i64>,
}

pub async fn log_meeting(
    db: &Db,
    process_id: i64,
    agency_id: i64,
    m: &NewMeeting,
    actor: i64,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO feasibility_meetings (process_id, agency_id, held_on, attendees, minutes, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(process_id)
    .bind(agency_id)
    .bind(&m.held_on)
    .bind(&m.attendees)
    .bind(&m.minutes)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    for proposal_id in &m.proposal_ids {
        sqlx::query(
            "INSERT INTO feasibility_meeting_proposals (meeting_id, proposal_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(proposal_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// One page of an agency's meetings in a process, latest first, with the
/// proposals discussed (one query for all of them).
pub async fn meetings(
    db: &Db,
    process_id: i64,
    agency_id: i64,
    page: i64,
) -> AppResult<Page<Meeting>> {
    let (page, offset) = window(page);
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM feasibility_meetings WHERE process_id = $1 AND agency_id = $2",
    )
    .bind(process_id)
    .bind(agency_id)
    .fetch_one(&db.pool)
    .await?
    .get("n");
    let rows = sqlx::query(&format!(
        "SELECT m.id, m.held_on, m.attendees, m.minutes, u.display_name AS logged_by \
         FROM feasibility_meetings m LEFT JOIN users u ON u.id = m.created_by \
         WHERE m.process_id = $1 AND m.agency_id = $2 ORDER BY m.held_on DESC, m.id DESC \
         LIMIT {PER_PAGE} OFFSET {offset}"
    ))
    .bind(process_id)
    .bind(agency_id)
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let mut discussed = std::collections::HashMap::<i64, Vec<(i64, String)>>::new();
    if !ids.is_empty() {
        for r in sqlx::query(&format!(
            "SELECT mp.meeting_id, p.id, p.title FROM feasibility_meeting_proposals mp \
             JOIN proposals p ON p.id = mp.proposal_id WHERE mp.meeting_id IN ({}) ORDER BY p.id",
            id_list(&ids)
        ))
        .fetch_all(&db.pool)
        .await?
        {
            discussed
                .entry(r.get("meeting_id"))
                .or_default()
                .push((r.get("id"), r.get("title")));
        }
    }
    let items = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            Meeting {
                id,
                held_on: r.get("held_on"),
                attendees: r.get("attendees"),
                minutes: r.get("minutes"),
                proposals: discussed.remove(&id).unwrap_or_default(),
                logged_by: r.get("logged_by"),
            }
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// The agencies a process's proposals were routed to, by name: how many
/// proposals each holds (reassigned ones left out) and how many of its
/// published answers carry each verdict. Held answers are not counted.
pub async fn verdicts_by_agency(
    db: &Db,
    process_id: i64,
) -> AppResult<Vec<(String, i64, Vec<(Verdict, i64)>)>> {
    let rows = sqlx::query(
        "SELECT g.name, COUNT(*) AS assigned, \
         SUM(CASE WHEN a.published_at IS NOT NULL AND a.verdict = 'feasible' THEN 1 ELSE 0 END) AS feasible, \
         SUM(CASE WHEN a.published_at IS NOT NULL AND a.verdict = 'partly_feasible' THEN 1 ELSE 0 END) AS partly_feasible, \
         SUM(CASE WHEN a.published_at IS NOT NULL AND a.verdict = 'not_feasible' THEN 1 ELSE 0 END) AS not_feasible, \
         SUM(CASE WHEN a.published_at IS NOT NULL AND a.verdict = 'outside_remit' THEN 1 ELSE 0 END) AS outside_remit \
         FROM feasibility_assignments a JOIN agencies g ON g.id = a.agency_id \
         JOIN proposals p ON p.id = a.proposal_id \
         WHERE p.process_id = $1 AND a.status <> 'reassigned' GROUP BY g.id, g.name ORDER BY g.name",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let verdicts = Verdict::ALL
                .iter()
                .map(|v| (*v, r.get::<Option<i64>, _>(v.as_str()).unwrap_or(0)))
                .collect();
            (r.get("name"), r.get("assigned"), verdicts)
        })
        .collect())
}

/// (evaluation) Every routing of a process's proposals with its verdict, held
/// answers and the agencies' private notes included.
pub const EVALUATOR_DATA: &[(&str, &str)] = &[(
    "derivaciones",
    "SELECT a.id, a.proposal_id, g.name AS agency, a.status, a.due_on, a.verdict, a.willing, \
     a.public_answer, a.private_notes, a.answered_at, a.published_at FROM feasibility_assignments a \
     JOIN agencies g ON g.id = a.agency_id JOIN proposals p ON p.id = a.proposal_id \
     WHERE p.process_id = $1 ORDER BY a.id",
)];

/// Every published verdict on a process's proposals: (proposal, agency, verdict).
pub async fn published_verdicts(
    db: &Db,
    process_id: i64,
) -> AppResult<Vec<(i64, String, Verdict)>> {
    Ok(sqlx::query(
        "SELECT a.proposal_id, g.name, a.verdict FROM feasibility_assignments a \
         JOIN agencies g ON g.id = a.agency_id JOIN proposals p ON p.id = a.proposal_id \
         WHERE p.process_id = $1 AND a.published_at IS NOT NULL AND a.status <> 'reassigned' \
         ORDER BY a.proposal_id, g.name",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .filter_map(|r| {
        let verdict = Verdict::parse(&r.get::<Option<String>, _>("verdict")?)?;
        Some((r.get("proposal_id"), r.get("name"), verdict))
    })
    .collect())
}

/// (open data) The agencies a process's proposals went to, with how many they
/// were given and answered in public; and each published answer (never the
/// agency's private notes, nor an answer on a hidden or withdrawn proposal).
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, optional, Dataset, Filter, Kind::*, Source};
    &[
        Dataset {
            name: "agencies",
            fields: &[
                field("id", Integer),
                field("name", Text),
                field("description", Text),
                field("assigned", Integer),
                field("answered", Integer),
                optional("answered_at", DateTime),
            ],
            filters: &[],
            modified: "answered_at",
            source: Source::Sql(
                "SELECT g.id, g.name, g.description, \
                 (SELECT COUNT(*) FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
                  WHERE a.agency_id = g.id AND p.process_id = $1 AND a.status <> 'reassigned' \
                  AND p.state = 'published' AND p.hidden = 0) AS assigned, \
                 (SELECT COUNT(*) FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
                  WHERE a.agency_id = g.id AND p.process_id = $1 AND a.status <> 'reassigned' \
                  AND a.published_at IS NOT NULL AND p.state = 'published' AND p.hidden = 0) AS answered, \
                 (SELECT MAX(a.published_at) FROM feasibility_assignments a JOIN proposals p ON p.id = a.proposal_id \
                  WHERE a.agency_id = g.id AND p.process_id = $1 AND a.status <> 'reassigned' \
                  AND p.state = 'published' AND p.hidden = 0) AS answered_at \
                 FROM agencies g WHERE g.id IN (SELECT a.agency_id FROM feasibility_assignments a \
                 JOIN proposals p ON p.id = a.proposal_id WHERE p.process_id = $1 \
                 AND a.status <> 'reassigned' AND p.state = 'published' AND p.hidden = 0)",
            ),
        },
        Dataset {
            name: "answers",
            fields: &[
                field("id", Integer),
                field("proposal_id", Integer),
                field("agency_id", Integer),
                field("agency", Text),
                one_of(
                    "verdict",
                    &["feasible", "partly_feasible", "not_feasible", "outside_remit"],
                    true,
                ),
                optional("willing", Boolean),
                field("answer", Text),
                field("published_at", DateTime),
            ],
            filters: &[
                Filter::Id {
                    param: "agency",
                    column: "agency_id",
                },
                Filter::Value {
                    param: "verdict",
                    column: "verdict",
                },
                Filter::Id {
                    param: "proposal",
                    column: "proposal_id",
                },
            ],
            modified: "published_at",
            source: Source::Sql(
                "SELECT a.id, a.proposal_id, a.agency_id, g.name AS agency, a.verdict, a.willing, \
                 a.public_answer AS answer, a.published_at FROM feasibility_assignments a \
                 JOIN agencies g ON g.id = a.agency_id JOIN proposals p ON p.id = a.proposal_id \
                 WHERE p.process_id = $1 AND p.state = 'published' AND p.hidden = 0 \
                 AND a.published_at IS NOT NULL AND a.status <> 'reassigned'",
            ),
        },
    ]
};
