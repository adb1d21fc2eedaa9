//! (ssr) SQL for endorsements: one per organization and plan; withdrawing keeps
//! the row (the date it was withdrawn) out of the public list.
use super::model::*;
use crate::db::{now, Db, Tx};
use crate::error::AppResult;
use sqlx::Row as _;

/// Endorses (or endorses again after a withdrawal), with the name and role as
/// they are published.
pub async fn endorse(
    db: &Db,
    process_id: i64,
    organization_id: i64,
    user_id: Option<i64>,
    person: &str,
    role: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO endorsements (process_id, organization_id, user_id, person, role, endorsed_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (process_id, organization_id) DO UPDATE SET \
         user_id = excluded.user_id, person = excluded.person, role = excluded.role, \
         endorsed_at = excluded.endorsed_at, withdrawn_at = NULL",
    )
    .bind(process_id)
    .bind(organization_id)
    .bind(user_id)
    .bind(person)
    .bind(role)
    .bind(now())
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Whether there was an endorsement to withdraw.
pub async fn withdraw(db: &Db, process_id: i64, organization_id: i64) -> AppResult<bool> {
    Ok(sqlx::query(
        "UPDATE endorsements SET withdrawn_at = $1 WHERE process_id = $2 AND organization_id = $3 \
         AND withdrawn_at IS NULL",
    )
    .bind(now())
    .bind(process_id)
    .bind(organization_id)
    .execute(db.writer())
    .await?
    .rows_affected()
        == 1)
}

/// The standing endorsements of a plan, oldest first: (organization id, endorsement).
pub async fn list(
    db: &Db,
    process_id: i64,
    utc_offset_minutes: i32,
) -> AppResult<Vec<(i64, Endorsement)>> {
    Ok(sqlx::query(
        "SELECT e.organization_id, o.name, e.person, e.role, e.endorsed_at FROM endorsements e \
         JOIN organizations o ON o.id = e.organization_id \
         WHERE e.process_id = $1 AND e.withdrawn_at IS NULL ORDER BY e.endorsed_at, e.organization_id LIMIT 1000",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        (
            r.get("organization_id"),
            Endorsement {
                organization: r.get("name"),
                person: r.get("person"),
                role: r.get("role"),
                on: crate::ctx::local_date(r.get("endorsed_at"), utc_offset_minutes),
            },
        )
    })
    .collect())
}

/// Who stands behind a plan: the people who endorsed it (accounts still
/// there) and their organizations, withdrawn endorsements left out.
pub async fn endorsers(db: &Db, process_id: i64) -> AppResult<(Vec<i64>, Vec<i64>)> {
    let rows = sqlx::query(
        "SELECT user_id, organization_id FROM endorsements \
         WHERE process_id = $1 AND withdrawn_at IS NULL ORDER BY id",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?;
    Ok((
        rows.iter()
            .filter_map(|r| r.get::<Option<i64>, _>("user_id"))
            .collect(),
        rows.iter().map(|r| r.get("organization_id")).collect(),
    ))
}

/// (privacy) The endorsements a person made.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT process_id, organization_id, person, role, endorsed_at, withdrawn_at FROM endorsements \
         WHERE user_id = $1 ORDER BY endorsed_at LIMIT 1000",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "process_id": r.get::<i64, _>("process_id"),
                "organization_id": r.get::<i64, _>("organization_id"),
                "person": r.get::<String, _>("person"),
                "role": r.get::<String, _>("role"),
                "endorsed_at": r.get::<i64, _>("endorsed_at"),
                "withdrawn_at": r.get::<Option<i64>, _>("withdrawn_at"),
            })
        })
        .collect())
}

/// (privacy) A deleted account's endorsements stay with their organization,
/// without the person's name.
pub async fn forget(tx: &mut Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE endorsements SET person = '', user_id = NULL WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// (evaluation) The plan's endorsements, withdrawn ones included, and the
/// public comments on the published plan (hidden ones too; authors only by the
/// name they chose to show).
pub const EVALUATOR_DATA: &[(&str, &str)] = &[
    (
        "respaldos",
        "SELECT e.id, o.name AS organization, o.sector, e.person, e.role, e.endorsed_at, e.withdrawn_at \
         FROM endorsements e JOIN organizations o ON o.id = e.organization_id \
         WHERE e.process_id = $1 ORDER BY e.id",
    ),
    (
        "comentarios_plan",
        "SELECT c.id, c.parent_id, c.body, c.hidden, \
         CASE WHEN c.show_author_name = 1 THEN u.display_name END AS author, c.created_at \
         FROM comments c JOIN users u ON u.id = c.author_id \
         WHERE c.subject_kind = 'plan' AND c.subject_id = $1 ORDER BY c.id",
    ),
];

/// (open data) The organizations that endorse the plan now (none withdrawn),
/// with the name and role their representative published.
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, Dataset, Kind::*, Source};
    &[Dataset {
        name: "endorsements",
        fields: &[
            field("id", Integer),
            field("organization", Text),
            one_of("sector", &crate::accounts::model::Sector::NAMES, false),
            field("person", Text),
            field("role", Text),
            field("endorsed_at", DateTime),
        ],
        filters: &[],
        modified: "endorsed_at",
        source: Source::Sql(
            "SELECT e.id, o.name AS organization, o.sector, e.person, e.role, e.endorsed_at \
             FROM endorsements e JOIN organizations o ON o.id = e.organization_id \
             WHERE e.process_id = $1 AND e.withdrawn_at IS NULL",
        ),
    }]
};
