//! (ssr) SQL for processes, axes and stage dates.
use super::model::*;
use crate::db::{now, Db};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;

pub struct NewProcess {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub axes: Vec<String>,
    pub stages: Vec<StageDates>,
}

/// Inserts a process with its axes and stages in one transaction; `None` if the slug is taken.
pub async fn create(db: &Db, p: &NewProcess, created_by: Option<i64>) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO processes (slug, title, description, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&p.slug)
    .bind(&p.title)
    .bind(&p.description)
    .bind(created_by)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.get("id");
    for (position, name) in p.axes.iter().enumerate() {
        sqlx::query("INSERT INTO process_axes (process_id, name, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(name)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    for s in &p.stages {
        sqlx::query(
            "INSERT INTO process_stages (process_id, stage, starts_on, ends_on) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(s.stage.as_str())
        .bind(&s.starts_on)
        .bind(&s.ends_on)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(id))
}

/// A change to a process the team set up.
pub struct ProcessChange<'a> {
    pub id: i64,
    pub title: &'a str,
    pub description: &'a str,
    /// Axes kept, with their (maybe new) names.
    pub renamed: &'a [(i64, String)],
    pub removed: &'a [i64],
    pub added: &'a [String],
    pub stages: &'a [StageDates],
}

/// Writes a change in one transaction, audited with `detail`. `false` (and
/// nothing written) when a removed axis is still used by a proposal or a
/// roundtable (the database refuses to delete it).
pub async fn update(db: &Db, c: &ProcessChange<'_>, actor: i64, detail: &str) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    for axis in c.removed {
        let deleted = sqlx::query("DELETE FROM process_axes WHERE id = $1 AND process_id = $2")
            .bind(axis)
            .bind(c.id)
            .execute(&mut *tx)
            .await;
        match deleted {
            Ok(_) => {}
            Err(sqlx::Error::Database(e))
                if e.kind() == sqlx::error::ErrorKind::ForeignKeyViolation =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        }
    }
    sqlx::query("UPDATE processes SET title = $1, description = $2 WHERE id = $3")
        .bind(c.title)
        .bind(c.description)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
    // Names are unique per process: park them first, so two axes may swap.
    for (axis, _) in c.renamed {
        sqlx::query("UPDATE process_axes SET name = $1 WHERE id = $2 AND process_id = $3")
            .bind(format!("\u{1}{axis}"))
            .bind(axis)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
    }
    for (position, (axis, name)) in c.renamed.iter().enumerate() {
        sqlx::query(
            "UPDATE process_axes SET name = $1, position = $2 WHERE id = $3 AND process_id = $4",
        )
        .bind(name)
        .bind(position as i64)
        .bind(axis)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
    }
    for (position, name) in c.added.iter().enumerate() {
        sqlx::query("INSERT INTO process_axes (process_id, name, position) VALUES ($1, $2, $3)")
            .bind(c.id)
            .bind(name)
            .bind((c.renamed.len() + position) as i64)
            .execute(&mut *tx)
            .await?;
    }
    for s in c.stages {
        sqlx::query(
            "UPDATE process_stages SET starts_on = $1, ends_on = $2 WHERE process_id = $3 AND stage = $4",
        )
        .bind(&s.starts_on)
        .bind(&s.ends_on)
        .bind(c.id)
        .bind(s.stage.as_str())
        .execute(&mut *tx)
        .await?;
    }
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(actor),
        "process.edit",
        &format!("process:{}", c.id),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn slug_taken(db: &Db, slug: &str) -> AppResult<bool> {
    Ok(sqlx::query("SELECT id FROM processes WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// Stages of the given processes, in one query: (process id, dates).
async fn stages_of(db: &Db, ids: &[i64]) -> AppResult<Vec<(i64, StageDates)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::db::id_list(ids);
    let rows = sqlx::query(&format!(
        "SELECT process_id, stage, starts_on, ends_on FROM process_stages \
         WHERE process_id IN ({list}) ORDER BY starts_on"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some((
                r.get("process_id"),
                StageDates {
                    stage: Stage::parse(&r.get::<String, _>("stage"))?,
                    starts_on: r.get("starts_on"),
                    ends_on: r.get("ends_on"),
                },
            ))
        })
        .collect())
}

/// Processes not yet over on `today` (their last stage ends today or later), soonest first.
pub async fn list_open(db: &Db, today: &str, page: i64) -> AppResult<Page<ProcessSummary>> {
    let (page, offset) = window(page);
    let open = "SELECT p.id FROM processes p JOIN process_stages s ON s.process_id = p.id \
                GROUP BY p.id HAVING MAX(s.ends_on) >= $1";
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM ({open}) o"))
        .bind(today)
        .fetch_one(&db.pool)
        .await?
        .get("n");
    let rows = sqlx::query(&format!(
        "SELECT p.id, p.slug, p.title, p.description FROM processes p \
         WHERE p.id IN ({open}) ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(today)
    .bind(PER_PAGE)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let stages = stages_of(db, &ids).await?;
    let items = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            let mine: Vec<StageDates> = stages
                .iter()
                .filter(|(pid, _)| *pid == id)
                .map(|(_, s)| s.clone())
                .collect();
            ProcessSummary {
                id,
                slug: r.get("slug"),
                title: r.get("title"),
                description: r.get("description"),
                timeline: Timeline::on(&mine, today),
            }
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// The process of `slug` as of today, or "not found".
pub async fn exists(db: &Db, id: i64) -> AppResult<bool> {
    Ok(sqlx::query("SELECT 1 AS yes FROM processes WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// Every process as (id, slug, title), newest first, for choosing one.
pub async fn all_titles(db: &Db) -> AppResult<Vec<(i64, String, String)>> {
    Ok(sqlx::query(
        "SELECT id, slug, title FROM processes ORDER BY created_at DESC, id DESC LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("id"), r.get("slug"), r.get("title")))
    .collect())
}

/// (open data) Up to `limit` processes after id `after`, in id order:
/// (id, slug, title, description, created at in UTC seconds).
pub async fn after(
    db: &Db,
    after: i64,
    limit: i64,
) -> AppResult<Vec<(i64, String, String, String, i64)>> {
    Ok(sqlx::query(
        "SELECT id, slug, title, description, created_at FROM processes WHERE id > $1 \
         ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        (
            r.get("id"),
            r.get("slug"),
            r.get("title"),
            r.get("description"),
            r.get("created_at"),
        )
    })
    .collect())
}

/// (open data) How many processes there are, and the slugs of `limit` of them
/// from the `offset`-th, in id order.
pub async fn slugs(db: &Db, offset: i64, limit: i64) -> AppResult<(i64, Vec<String>)> {
    let total = crate::db::count(db, "SELECT COUNT(*) AS n FROM processes", &[]).await?;
    let slugs = sqlx::query("SELECT slug FROM processes ORDER BY id LIMIT $1 OFFSET $2")
        .bind(limit)
        .bind(offset)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.get("slug"))
        .collect();
    Ok((total, slugs))
}

/// The process with id `id` as of today, or "not found".
pub async fn require_id(state: &crate::ctx::AppState, id: i64) -> AppResult<ProcessDetail> {
    let slug: Option<String> = sqlx::query("SELECT slug FROM processes WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|r| r.get("slug"));
    require(state, &slug.ok_or(crate::error::AppError::NotFound)?).await
}

pub async fn require(state: &crate::ctx::AppState, slug: &str) -> AppResult<ProcessDetail> {
    by_slug(&state.db, slug, &crate::ctx::today(&state.settings))
        .await?
        .ok_or(crate::error::AppError::NotFound)
}

pub async fn by_slug(db: &Db, slug: &str, today: &str) -> AppResult<Option<ProcessDetail>> {
    // One query for the many pages that begin with their process: its row,
    // then one row per axis and per stage, each branch found through the slug;
    // axes come by position, stages by start date (both sort on `position`, `b`).
    let rows = sqlx::query(
        "SELECT 'process' AS kind, p.id AS ref_id, p.slug AS a, p.title AS b, p.description AS c, \
                0 AS position FROM processes p WHERE p.slug = $1 \
         UNION ALL SELECT 'axis', x.id, x.name, NULL, NULL, x.position \
           FROM processes p JOIN process_axes x ON x.process_id = p.id WHERE p.slug = $1 \
         UNION ALL SELECT 'stage', NULL, s.stage, s.starts_on, s.ends_on, 0 \
           FROM processes p JOIN process_stages s ON s.process_id = p.id WHERE p.slug = $1 \
         ORDER BY position, b",
    )
    .bind(slug)
    .fetch_all(&db.pool)
    .await?;
    let of = |kind| crate::db::rows_where(&rows, "kind", kind);
    let Some(r) = of("process").next() else {
        return Ok(None);
    };
    let axes: Vec<Axis> = of("axis")
        .map(|a| Axis {
            id: a.get("ref_id"),
            name: a.get("a"),
        })
        .collect();
    let stages: Vec<StageDates> = of("stage")
        .filter_map(|s| {
            Some(StageDates {
                stage: Stage::parse(&s.get::<String, _>("a"))?,
                starts_on: s.get("b"),
                ends_on: s.get("c"),
            })
        })
        .collect();
    let timeline = Timeline::on(&stages, today);
    Ok(Some(ProcessDetail {
        id: r.get("ref_id"),
        slug: r.get("a"),
        title: r.get("b"),
        description: r.get("c"),
        axes,
        stages,
        timeline,
        can_route: false,
        figures: ProcessFigures::default(),
        plan: vec![],
    }))
}

/// The process's public figures, in one query (for its page only: other
/// lookups of a process do not need them).
pub async fn figures(db: &Db, process_id: i64) -> AppResult<ProcessFigures> {
    let r = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM proposals p WHERE p.process_id = $1 AND p.state = 'published' \
          AND p.hidden = 0) AS proposals, \
         (SELECT COUNT(DISTINCT a.proposal_id) FROM feasibility_assignments a \
          JOIN proposals p ON p.id = a.proposal_id \
          WHERE p.process_id = $1 AND a.published_at IS NOT NULL) AS answered, \
         (SELECT COUNT(*) FROM roundtables r WHERE r.process_id = $1 AND r.cancelled_at IS NULL \
          AND (r.phase = 'closed' OR r.starts_at + r.duration_minutes * 60 < $2)) AS meetings, \
         (SELECT COUNT(*) FROM followup_meetings f JOIN commitments c ON c.id = f.commitment_id \
          WHERE c.process_id = $1) AS followups, \
         (SELECT COUNT(*) FROM roundtable_registrations g JOIN roundtables r ON r.id = g.roundtable_id \
          WHERE r.process_id = $1 AND g.attended = 1) AS attendees, \
         (SELECT CAST(COALESCE(SUM(f.attendees), 0) AS BIGINT) FROM followup_meetings f \
          JOIN commitments c ON c.id = f.commitment_id WHERE c.process_id = $1) AS followup_attendees",
    )
    .bind(process_id)
    .bind(crate::db::now())
    .fetch_one(&db.pool)
    .await?;
    Ok(ProcessFigures {
        proposals: r.get("proposals"),
        answered: r.get("answered"),
        // Follow-up meetings in monitoring are public meetings too.
        public_meetings: r.get::<i64, _>("meetings") + r.get::<i64, _>("followups"),
        attendees: r.get::<i64, _>("attendees") + r.get::<i64, _>("followup_attendees"),
    })
}

/// Every thematic axis with its process's title, newest process first (at most
/// 500): what an organization can name as the themes it works on.
pub async fn axis_choices(db: &Db) -> AppResult<Vec<(i64, String, String)>> {
    Ok(sqlx::query(
        "SELECT a.id, a.name, p.title FROM process_axes a JOIN processes p ON p.id = a.process_id \
         ORDER BY p.created_at DESC, p.id DESC, a.position LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("id"), r.get("name"), r.get("title")))
    .collect())
}

/// The names of the axes asked for (unknown ids left out).
pub async fn axis_names(db: &Db, ids: &[i64]) -> AppResult<std::collections::HashMap<i64, String>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, name FROM process_axes WHERE id IN ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get("id"), r.get("name")))
        .collect())
}

/// The axes of process `process_id` that `user_id` follows.
pub async fn followed(db: &Db, user_id: i64, process_id: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query(
        "SELECT f.axis_id FROM axis_followers f JOIN process_axes x ON x.id = f.axis_id \
         WHERE f.user_id = $1 AND x.process_id = $2 ORDER BY x.position",
    )
    .bind(user_id)
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("axis_id"))
    .collect())
}

/// Makes `axis_ids` the axes of process `process_id` that `user_id` follows
/// (ids of other processes are left out).
pub async fn set_followed(
    db: &Db,
    user_id: i64,
    process_id: i64,
    axis_ids: &[i64],
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "DELETE FROM axis_followers WHERE user_id = $1 AND axis_id IN \
         (SELECT id FROM process_axes WHERE process_id = $2)",
    )
    .bind(user_id)
    .bind(process_id)
    .execute(&mut *tx)
    .await?;
    for axis in axis_ids {
        sqlx::query(
            "INSERT INTO axis_followers (user_id, axis_id, created_at) \
             SELECT $1, id, $2 FROM process_axes WHERE id = $3 AND process_id = $4",
        )
        .bind(user_id)
        .bind(now())
        .bind(axis)
        .bind(process_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Who follows axis `axis_id` (inside the caller's transaction), and the
/// axis's name.
pub async fn followers(tx: &mut crate::db::Tx, axis_id: i64) -> AppResult<(String, Vec<i64>)> {
    let name = sqlx::query("SELECT name FROM process_axes WHERE id = $1")
        .bind(axis_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.get("name"))
        .unwrap_or_default();
    let people =
        sqlx::query("SELECT user_id FROM axis_followers WHERE axis_id = $1 ORDER BY user_id")
            .bind(axis_id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.get("user_id"))
            .collect();
    Ok((name, people))
}

/// (privacy) The axes a person follows, by name.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let names: Vec<String> = sqlx::query(
        "SELECT x.name FROM axis_followers f JOIN process_axes x ON x.id = f.axis_id \
         WHERE f.user_id = $1 ORDER BY x.process_id, x.position LIMIT 1000",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("name"))
    .collect();
    Ok(serde_json::json!(names))
}

/// (privacy) A deleted account follows nothing.
pub async fn forget(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM axis_followers WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
