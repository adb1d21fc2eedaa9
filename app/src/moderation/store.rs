//! (ssr) SQL for reports, the queue and hiding. Moderation owns the `hidden` flag
//! of the content it moderates (proposals and comments), so it writes it here.
use super::model::*;
use crate::db::{id_list, now, Db};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;

fn table(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Proposal => "proposals",
        TargetKind::Comment => "comments",
    }
}

pub async fn exists(db: &Db, kind: TargetKind, id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query(&format!("SELECT id FROM {} WHERE id = $1", table(kind)))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

/// Records a report; false when this person already reported it.
pub async fn report(
    db: &Db,
    kind: TargetKind,
    id: i64,
    reporter: i64,
    reason: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO reports (target_kind, target_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(id)
    .bind(reporter)
    .bind(reason)
    .bind(now())
    .execute(db.writer())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides or restores content, closes its open reports and records the action.
pub async fn set_hidden(
    db: &Db,
    kind: TargetKind,
    id: i64,
    hidden: bool,
    actor: i64,
) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(&format!(
        "UPDATE {} SET hidden = $1 WHERE id = $2",
        table(kind)
    ))
    .bind(hidden as i64)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let t = now();
    sqlx::query("UPDATE reports SET resolved_at = $1 WHERE target_kind = $2 AND target_id = $3 AND resolved_at IS NULL")
        .bind(t)
        .bind(kind.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail, at) VALUES ($1, $2, $3, '', $4)",
    )
    .bind(actor)
    .bind(if hidden {
        "moderation.hide"
    } else {
        "moderation.restore"
    })
    .bind(format!("{}:{id}", kind.as_str()))
    .bind(t)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Content with open reports, most reported first.
pub async fn queue(db: &Db, page: i64) -> AppResult<Page<QueueItem>> {
    let (page, skip) = window(page);
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM (SELECT target_kind, target_id FROM reports WHERE resolved_at IS NULL \
         GROUP BY target_kind, target_id) t",
    )
    .fetch_one(&db.pool)
    .await?
    .get("n");
    let groups = sqlx::query(
        "SELECT target_kind, target_id, COUNT(*) AS n FROM reports WHERE resolved_at IS NULL \
         GROUP BY target_kind, target_id ORDER BY COUNT(*) DESC, MIN(id) LIMIT $1 OFFSET $2",
    )
    .bind(PER_PAGE)
    .bind(skip)
    .fetch_all(&db.pool)
    .await?;
    let ids = |kind: &str| crate::db::ids_where(&groups, "target_kind", kind, "target_id");
    let (proposal_ids, comment_ids) = (ids("proposal"), ids("comment"));
    // (kind, id, where to read it, text, hidden) of the page's content, in one query.
    let in_list = |ids: &[i64]| {
        if ids.is_empty() {
            "NULL".to_string()
        } else {
            id_list(ids)
        }
    };
    let content: Vec<(String, i64, String, String, bool)> = sqlx::query(&format!(
        "SELECT 'proposal' AS kind, id, 'proposal' AS subject_kind, id AS subject_id, title AS text, hidden, \
         NULL AS plan FROM proposals WHERE id IN ({}) UNION ALL \
         SELECT 'comment', c.id, c.subject_kind, c.subject_id, c.body, c.hidden, p.slug FROM comments c \
         LEFT JOIN processes p ON c.subject_kind = 'plan' AND p.id = c.subject_id WHERE c.id IN ({})",
        in_list(&proposal_ids),
        in_list(&comment_ids)
    ))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let (id, subject): (i64, i64) = (r.get("id"), r.get("subject_id"));
        let context = match r.get::<String, _>("subject_kind").as_str() {
            "commitment" => format!("/commitments/{subject}/comments#comment-{id}"),
            "plan" => format!(
                "/processes/{}/endorsements#comment-{id}",
                r.get::<Option<String>, _>("plan").unwrap_or_default()
            ),
            _ if r.get::<String, _>("kind") == "comment" => {
                format!("/proposals/{subject}#comment-{id}")
            }
            _ => format!("/proposals/{subject}"),
        };
        (
            r.get("kind"),
            id,
            context,
            r.get("text"),
            r.get::<i64, _>("hidden") == 1,
        )
    })
    .collect();
    let all_ids: Vec<i64> = proposal_ids
        .iter()
        .chain(comment_ids.iter())
        .copied()
        .collect();
    let reasons = if all_ids.is_empty() {
        vec![]
    } else {
        sqlx::query(&format!(
            "SELECT DISTINCT target_kind, target_id, reason FROM reports WHERE resolved_at IS NULL AND target_id IN ({})",
            id_list(&all_ids)
        ))
        .fetch_all(&db.pool)
        .await?
    };
    let items = groups
        .iter()
        .filter_map(|g| {
            let kind: String = g.get("target_kind");
            let id: i64 = g.get("target_id");
            let (_, _, context, text, hidden) =
                content.iter().find(|c| c.0 == kind && c.1 == id)?.clone();
            Some(QueueItem {
                kind: TargetKind::parse(&kind)?,
                id,
                context,
                excerpt: text.chars().take(200).collect(),
                reports: g.get("n"),
                reasons: reasons
                    .iter()
                    .filter(|r| {
                        r.get::<String, _>("target_kind") == kind
                            && r.get::<i64, _>("target_id") == id
                    })
                    .map(|r| r.get("reason"))
                    .collect(),
                hidden,
            })
        })
        .collect();
    Ok(Page::new(items, page, total))
}

pub async fn audit(db: &Db, page: i64, offset_minutes: i32) -> AppResult<Page<AuditEntry>> {
    let (page, skip) = window(page);
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
        .fetch_one(&db.pool)
        .await?
        .get("n");
    let rows = sqlx::query(
        "SELECT u.display_name AS actor, a.action, a.subject, a.detail, a.at FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(PER_PAGE)
    .bind(skip)
    .fetch_all(&db.pool)
    .await?;
    let items = rows
        .iter()
        .map(|r| AuditEntry {
            actor: r.get("actor"),
            action: r.get("action"),
            subject: r.get("subject"),
            detail: r.get("detail"),
            on: crate::ctx::local_date(r.get("at"), offset_minutes),
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// (privacy) The reports a person made.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT target_kind, target_id, reason, created_at FROM reports WHERE reporter_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::Value::Array(crate::db::rows_json(&rows)))
}
