//! (ssr) SQL for people joining an organization: requests its representatives
//! decide on, and invitations taken up through a personal link.
use super::model::*;
use crate::db::{now, Db, Tx};
use crate::error::AppResult;
use sqlx::Row as _;
use std::collections::HashMap;

/// Whether an organization is listed (approved) in the directory.
pub async fn listed(db: &Db, organization_id: i64) -> AppResult<bool> {
    Ok(sqlx::query(
        "SELECT 1 FROM directory_entries WHERE organization_id = $1 AND status = 'approved'",
    )
    .bind(organization_id)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

/// Asks to join; false when the person already asked and is waiting.
pub async fn request(db: &Db, organization_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO organization_joins (organization_id, kind, status, user_id, created_by, created_at) \
         VALUES ($1, 'request', 'pending', $2, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(now())
    .execute(db.writer())
    .await?
    .rows_affected()
        == 1)
}

/// The organizations a person asked to join and waits for.
pub async fn requested_by(db: &Db, user_id: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query(
        "SELECT organization_id FROM organization_joins \
         WHERE kind = 'request' AND status = 'pending' AND user_id = $1 LIMIT 1000",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("organization_id"))
    .collect())
}

/// The organization a waiting request is to.
pub async fn request_organization(db: &Db, join_id: i64) -> AppResult<Option<i64>> {
    Ok(sqlx::query(
        "SELECT organization_id FROM organization_joins \
         WHERE id = $1 AND kind = 'request' AND status = 'pending'",
    )
    .bind(join_id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| r.get("organization_id")))
}

/// Decides on a waiting request to one of `organization_ids` (those the
/// representative represents); approved, the person becomes a member.
/// `None` when there was no such request.
pub async fn decide(
    db: &Db,
    join_id: i64,
    approve: bool,
    organization_ids: &[i64],
    actor_id: i64,
) -> AppResult<Option<i64>> {
    let status = Status::decided(approve);
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query(
        "UPDATE organization_joins SET status = $1, decided_at = $2 \
         WHERE id = $3 AND kind = 'request' AND status = 'pending' RETURNING organization_id, user_id",
    )
    .bind(status.as_str())
    .bind(now())
    .bind(join_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let organization_id: i64 = row.get("organization_id");
    if !organization_ids.contains(&organization_id) {
        return Ok(None); // dropped: rolls back
    }
    let user_id: Option<i64> = row.get("user_id");
    if let (true, Some(user_id)) = (approve, user_id) {
        crate::accounts::store::join_organization(&mut tx, user_id, organization_id).await?;
    }
    let action = format!("organization.join_{}", status.as_str());
    let subject = format!("organization:{organization_id}");
    let detail = user_id.map(|u| format!("user:{u}")).unwrap_or_default();
    crate::accounts::store::audit_with(&mut *tx, Some(actor_id), &action, &subject, &detail)
        .await?;
    tx.commit().await?;
    Ok(Some(organization_id))
}

/// Records an invitation to `email` with its token's hash and queues its mail
/// (`mail` writes the subject and body for the organization's name) in one
/// transaction; false when one to that address is still waiting.
pub async fn invite(
    db: &Db,
    organization_id: i64,
    email: &str,
    token_hash: &str,
    actor_id: i64,
    mail: impl FnOnce(&str) -> (String, String),
) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let added = sqlx::query(
        "INSERT INTO organization_joins (organization_id, kind, status, email, token_hash, created_by, created_at) \
         VALUES ($1, 'invitation', 'pending', $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(organization_id)
    .bind(email)
    .bind(token_hash)
    .bind(actor_id)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !added {
        return Ok(false);
    }
    let name = crate::accounts::store::organization_name(&mut tx, organization_id)
        .await?
        .unwrap_or_default();
    let (subject, body) = mail(&name);
    crate::mail::queue_secret(&mut tx, email, &subject, &body).await?;
    let subject = format!("organization:{organization_id}");
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(actor_id),
        "organization.invite",
        &subject,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The organization a waiting invitation is to: (id, name).
pub async fn invitation(db: &Db, token_hash: &str) -> AppResult<Option<(i64, String)>> {
    Ok(sqlx::query(
        "SELECT o.id, o.name FROM organization_joins j JOIN organizations o ON o.id = j.organization_id \
         WHERE j.token_hash = $1 AND j.kind = 'invitation' AND j.status = 'pending'",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| (r.get("id"), r.get("name"))))
}

/// Takes up a waiting invitation: the person joins, and the link is spent
/// (the address it went to is forgotten).
/// `None` when the link is unknown or used.
pub async fn accept(db: &Db, token_hash: &str, user_id: i64) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query(
        "UPDATE organization_joins SET status = 'approved', user_id = $1, token_hash = NULL, email = '', decided_at = $2 \
         WHERE token_hash = $3 AND kind = 'invitation' AND status = 'pending' RETURNING organization_id",
    )
    .bind(user_id)
    .bind(now())
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let organization_id: i64 = row.get("organization_id");
    crate::accounts::store::join_organization(&mut tx, user_id, organization_id).await?;
    let subject = format!("organization:{organization_id}");
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(user_id),
        "organization.join_invited",
        &subject,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Some(organization_id))
}

/// The organizations (`ids`, at most 20) with their waiting requests and the
/// invitations sent, newest first: three queries whatever their number.
pub async fn represented(
    db: &Db,
    ids: &[i64],
    utc_offset_minutes: i32,
) -> AppResult<Vec<Represented>> {
    let ids: Vec<i64> = ids.iter().copied().take(20).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let marks = marks.join(", ");
    let bind_all = |sql: String| {
        let ids = ids.clone();
        async move {
            let mut q = sqlx::query(&sql);
            for id in &ids {
                q = q.bind(id);
            }
            q.fetch_all(&db.pool).await
        }
    };
    let names = bind_all(format!(
        "SELECT id, name FROM organizations WHERE id IN ({marks}) ORDER BY name"
    ))
    .await?;
    let limit = JOINS_SHOWN * ids.len() as i64;
    let joins = bind_all(format!(
        "SELECT j.id, j.organization_id, j.kind, j.status, j.email, j.created_at, \
         COALESCE(u.display_name, '') AS person FROM organization_joins j \
         LEFT JOIN users u ON u.id = j.user_id \
         WHERE j.organization_id IN ({marks}) AND (j.kind = 'invitation' OR j.status = 'pending') \
         ORDER BY j.created_at DESC, j.id DESC LIMIT {limit}"
    ))
    .await?;
    let date =
        |r: &sqlx::any::AnyRow| crate::ctx::local_date(r.get("created_at"), utc_offset_minutes);
    let mut by_org: HashMap<i64, Represented> = HashMap::new();
    for r in &names {
        let id: i64 = r.get("id");
        by_org.insert(
            id,
            Represented {
                id,
                name: r.get("name"),
                requests: vec![],
                invitations: vec![],
            },
        );
    }
    for r in &joins {
        let Some(o) = by_org.get_mut(&r.get::<i64, _>("organization_id")) else {
            continue;
        };
        if r.get::<String, _>("kind") == "request" {
            if (o.requests.len() as i64) < JOINS_SHOWN {
                o.requests.push(JoinRequest {
                    id: r.get("id"),
                    person: r.get("person"),
                    on: date(r),
                });
            }
        } else if (o.invitations.len() as i64) < JOINS_SHOWN {
            // Once taken up, the invitation names the person, not the address.
            let email: String = r.get("email");
            o.invitations.push(SentInvitation {
                to: if email.is_empty() {
                    r.get("person")
                } else {
                    email
                },
                status: Status::parse(&r.get::<String, _>("status")).unwrap_or(Status::Pending),
                on: date(r),
            });
        }
    }
    let mut out: Vec<Represented> = by_org.into_values().collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// (privacy) Invitations sent to the person's addresses forget them; their
/// waiting requests go.
pub async fn forget(tx: &mut Tx, user_id: i64, addresses: &[String]) -> AppResult<()> {
    for address in addresses {
        sqlx::query(
            "UPDATE organization_joins SET email = '', token_hash = NULL, \
             status = CASE WHEN status = 'pending' THEN 'rejected' ELSE status END \
             WHERE kind = 'invitation' AND lower(email) = lower($1)",
        )
        .bind(address)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM organization_joins WHERE user_id = $1 AND status = 'pending'")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
