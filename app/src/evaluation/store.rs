//! (ssr) SQL for the monitoring body and its evaluations.
use super::model::*;
use crate::db::{id_list, now, Db, Row};
use crate::error::AppResult;
use crate::monitoring::model::Progress;
use sqlx::Row as _;
use std::collections::HashMap;

/// Appoints the account with `email` to a process's monitoring body (again:
/// its body's name changes). `None` if there is no such active account.
pub async fn appoint(
    db: &Db,
    process_id: i64,
    email: &str,
    body: &str,
    by: i64,
) -> AppResult<Option<i64>> {
    let Some(user) = sqlx::query("SELECT id FROM users WHERE email = $1 AND active = 1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.get::<i64, _>("id"))
    else {
        return Ok(None);
    };
    sqlx::query(
        "INSERT INTO process_evaluators (process_id, user_id, body, appointed_by, appointed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (process_id, user_id) DO UPDATE SET body = $3",
    )
    .bind(process_id)
    .bind(user)
    .bind(body)
    .bind(by)
    .bind(now())
    .execute(db.writer())
    .await?;
    Ok(Some(user))
}

pub async fn remove(db: &Db, process_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query("DELETE FROM process_evaluators WHERE process_id = $1 AND user_id = $2")
            .bind(process_id)
            .bind(user_id)
            .execute(db.writer())
            .await?
            .rows_affected()
            == 1,
    )
}

pub async fn members(db: &Db, process_id: i64) -> AppResult<Vec<Evaluator>> {
    Ok(sqlx::query(
        "SELECT e.user_id, u.display_name, e.body FROM process_evaluators e \
         JOIN users u ON u.id = e.user_id WHERE e.process_id = $1 ORDER BY u.display_name LIMIT 200",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Evaluator {
        user_id: r.get("user_id"),
        name: r.get("display_name"),
        body: r.get("body"),
    })
    .collect())
}

/// The body `user_id` evaluates `process_id` for.
pub async fn body_of(db: &Db, process_id: i64, user_id: i64) -> AppResult<Option<String>> {
    Ok(
        sqlx::query("SELECT body FROM process_evaluators WHERE process_id = $1 AND user_id = $2")
            .bind(process_id)
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| r.get("body")),
    )
}

/// Saves the evaluation of a commitment. Published once, it stays published:
/// every later save publishes the new text with its date.
pub async fn save(
    db: &Db,
    commitment_id: i64,
    evaluator: i64,
    e: &Evaluation,
    publish: bool,
) -> AppResult<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO commitment_evaluations (commitment_id, evaluator_id, body, verifiable, potential, \
         completion, opened_government, reasoning, published_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (commitment_id) DO UPDATE SET evaluator_id = $2, body = $3, verifiable = $4, \
         potential = $5, completion = $6, opened_government = $7, reasoning = $8, \
         published_at = CASE WHEN commitment_evaluations.published_at IS NULL THEN $9 ELSE $10 END, \
         updated_at = $10",
    )
    .bind(commitment_id)
    .bind(evaluator)
    .bind(&e.body)
    .bind(e.verifiable as i64)
    .bind(e.potential.as_str())
    .bind(e.completion.as_str())
    .bind(e.opened_government.as_str())
    .bind(&e.reasoning)
    .bind(publish.then_some(t))
    .bind(t)
    .execute(db.writer())
    .await?;
    Ok(())
}

fn evaluation(r: &Row, offset: i32) -> Option<Evaluation> {
    Some(Evaluation {
        body: r.get("body"),
        verifiable: r.get::<i64, _>("verifiable") == 1,
        potential: Potential::parse(&r.get::<String, _>("potential"))?,
        completion: Progress::parse(&r.get::<String, _>("completion"))?,
        opened_government: OpenedGovernment::parse(&r.get::<String, _>("opened_government"))?,
        reasoning: r.get("reasoning"),
        published_on: r
            .get::<Option<i64>, _>("published_at")
            .map(|at| crate::ctx::local_date(at, offset)),
    })
}

const COLUMNS: &str = "commitment_id, body, verifiable, potential, completion, opened_government, \
                       reasoning, published_at";

/// The evaluation of each of `ids`, drafts included (the caller decides who
/// sees a draft).
pub async fn of(db: &Db, ids: &[i64], offset: i32) -> AppResult<HashMap<i64, Evaluation>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(sqlx::query(&format!(
        "SELECT {COLUMNS} FROM commitment_evaluations WHERE commitment_id IN ({})",
        id_list(ids)
    ))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .filter_map(|r| Some((r.get("commitment_id"), evaluation(r, offset)?)))
    .collect())
}

/// The published evaluation of each of `ids`.
pub async fn published(db: &Db, ids: &[i64], offset: i32) -> AppResult<HashMap<i64, Evaluation>> {
    let mut all = of(db, ids, offset).await?;
    all.retain(|_, e| e.published_on.is_some());
    Ok(all)
}

/// (privacy) The monitoring bodies a person belongs to.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT process_id, body, appointed_at FROM process_evaluators WHERE user_id = $1 ORDER BY process_id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::Value::Array(
        rows.iter()
            .map(|r| {
                serde_json::json!({
                    "process_id": r.get::<i64, _>("process_id"),
                    "body": r.get::<String, _>("body"),
                    "appointed_at": r.get::<i64, _>("appointed_at"),
                })
            })
            .collect(),
    ))
}

/// (privacy) A deleted account leaves the bodies; its published evaluations
/// stay, under the body's name.
pub async fn forget(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM process_evaluators WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE commitment_evaluations SET evaluator_id = NULL WHERE evaluator_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// (evaluation) The body's own evaluations, drafts included.
pub const EVALUATOR_DATA: &[(&str, &str)] = &[(
    "evaluaciones",
    "SELECT e.commitment_id, c.code, e.body, e.verifiable, e.potential, e.completion, \
     e.opened_government, e.reasoning, e.published_at, e.updated_at FROM commitment_evaluations e \
     JOIN commitments c ON c.id = e.commitment_id WHERE c.process_id = $1 ORDER BY c.code",
)];

/// (open data) The monitoring body's published evaluations, one per sheet.
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, Dataset, Kind::*, Source};
    &[Dataset {
        name: "evaluations",
        fields: &[
            field("id", Integer),
            field("code", Text),
            field("body", Text),
            field("verifiable", Boolean),
            one_of("potential", &["unclear", "modest", "substantial"], false),
            one_of(
                "completion",
                &["no_evidence", "not_started", "limited", "substantial", "complete"],
                false,
            ),
            one_of(
                "opened_government",
                &["worsened", "did_not_change", "marginal", "major", "outstanding"],
                false,
            ),
            field("reasoning", Text),
            field("published_at", DateTime),
            field("updated_at", DateTime),
        ],
        filters: &[],
        modified: "updated_at",
        source: Source::Sql(
            "SELECT e.commitment_id AS id, c.code, e.body, e.verifiable, e.potential, e.completion, \
             e.opened_government, e.reasoning, e.published_at, e.updated_at FROM commitment_evaluations e \
             JOIN commitments c ON c.id = e.commitment_id \
             WHERE c.process_id = $1 AND c.state <> 'draft' AND e.published_at IS NOT NULL",
        ),
    }]
};
