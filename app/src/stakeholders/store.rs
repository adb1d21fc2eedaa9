//! (ssr) SQL for the stakeholder directory. The organization itself (name,
//! sector, members) is the accounts module's; this module keeps what the
//! organization told about itself and the team's decision.
use super::model::*;
use crate::accounts::model::Sector;
use crate::db::{now, Db, Tx};
use crate::error::AppResult;
use crate::notifications::model::NotificationKind;
use crate::notifications::store::{notify, Notice};
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;
use std::collections::HashMap;

/// What an organization tells about itself when it registers (its name and
/// sector go to the organization itself).
pub struct Entry<'a> {
    pub territory: &'a str,
    pub website: &'a str,
    pub description: &'a str,
    pub contact_email: &'a str,
    pub axis_ids: &'a [i64],
}

/// Registers an organization, waiting for the team; `None` when an
/// organization by that name exists already.
pub async fn register(
    db: &Db,
    name: &str,
    sector: Sector,
    r: &Entry<'_>,
    user_id: i64,
) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let Some(id) = crate::accounts::store::create_organization(&mut tx, name, sector).await? else {
        return Ok(None);
    };
    enter(&mut tx, id, r, Status::Pending, Some(user_id)).await?;
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(user_id),
        "organization.register",
        &format!("organization:{id}"),
        name,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// An organization of the directory with its contact and interests.
pub async fn entry(db: &Db, organization_id: i64) -> AppResult<Option<EntrySheet>> {
    let Some(r) = sqlx::query(
        "SELECT territory, website, description, contact_email FROM directory_entries \
         WHERE organization_id = $1",
    )
    .bind(organization_id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let Some(org) = crate::accounts::store::organizations_by_id(db, &[organization_id])
        .await?
        .remove(&organization_id)
    else {
        return Ok(None);
    };
    let axis_ids = sqlx::query(
        "SELECT axis_id FROM directory_interests WHERE organization_id = $1 ORDER BY axis_id",
    )
    .bind(organization_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|a| a.get("axis_id"))
    .collect();
    Ok(Some(EntrySheet {
        organization_id,
        name: org.name,
        sector: org.sector,
        territory: r.get("territory"),
        website: r.get("website"),
        description: r.get("description"),
        contact_email: r.get("contact_email"),
        axis_ids,
        axes: vec![],
    }))
}

/// A change the team makes to an organization of the directory.
pub struct EntryChange<'a> {
    pub organization_id: i64,
    pub name: &'a str,
    pub sector: Sector,
    pub entry: Entry<'a>,
}

/// Writes a change in one transaction, audited; `false` (nothing written)
/// when another organization has the name.
pub async fn update(db: &Db, c: &EntryChange<'_>, actor: i64) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let id = c.organization_id;
    if !crate::accounts::store::rename_organization(&mut tx, id, c.name, c.sector).await? {
        return Ok(false);
    }
    let r = &c.entry;
    sqlx::query(
        "UPDATE directory_entries SET territory = $1, website = $2, description = $3, \
         contact_email = $4 WHERE organization_id = $5",
    )
    .bind(r.territory)
    .bind(r.website)
    .bind(r.description)
    .bind(r.contact_email)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM directory_interests WHERE organization_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for axis in r.axis_ids {
        sqlx::query("INSERT INTO directory_interests (organization_id, axis_id) VALUES ($1, $2)")
            .bind(id)
            .bind(axis)
            .execute(&mut *tx)
            .await?;
    }
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(actor),
        "organization.edit",
        &format!("organization:{id}"),
        c.name,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Lists an organization as it stands (`status`) with its interests, unless it
/// is listed already (false then).
async fn enter(
    tx: &mut Tx,
    organization_id: i64,
    r: &Entry<'_>,
    status: Status,
    registered_by: Option<i64>,
) -> AppResult<bool> {
    let added = sqlx::query(
        "INSERT INTO directory_entries (organization_id, territory, website, description, \
         contact_email, status, registered_by, registered_at, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (organization_id) DO NOTHING",
    )
    .bind(organization_id)
    .bind(r.territory)
    .bind(r.website)
    .bind(r.description)
    .bind(r.contact_email)
    .bind(status.as_str())
    .bind(registered_by)
    .bind(now())
    .bind((status != Status::Pending).then(now))
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if added {
        for axis in r.axis_ids {
            sqlx::query(
                "INSERT INTO directory_interests (organization_id, axis_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(organization_id)
            .bind(axis)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(added)
}

fn listed(r: &sqlx::any::AnyRow) -> Listed {
    Listed {
        id: r.get("id"),
        name: r.get("name"),
        sector: Sector::parse(&r.get::<String, _>("sector")).unwrap_or(Sector::CivilSociety),
        territory: r.get("territory"),
        website: r.get("website"),
        description: r.get("description"),
        interests: vec![],
    }
}

/// Fills in the interests of the organizations listed (two queries, whatever
/// their number).
async fn with_interests(db: &Db, mut items: Vec<Listed>) -> AppResult<Vec<Listed>> {
    if items.is_empty() {
        return Ok(items);
    }
    let marks: Vec<String> = (1..=items.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT organization_id, axis_id FROM directory_interests \
         WHERE organization_id IN ({}) ORDER BY organization_id, axis_id",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for item in &items {
        q = q.bind(item.id);
    }
    let pairs: Vec<(i64, i64)> = q
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get("organization_id"), r.get("axis_id")))
        .collect();
    let axes: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    let names = crate::processes::store::axis_names(db, &axes).await?;
    for item in &mut items {
        let mut mine: Vec<String> = pairs
            .iter()
            .filter(|p| p.0 == item.id)
            .filter_map(|p| names.get(&p.1).cloned())
            .collect();
        mine.sort();
        mine.dedup();
        item.interests = mine;
    }
    Ok(items)
}

/// One page of the approved organizations, by name, of a sector and working
/// on an axis when asked.
pub async fn list(
    db: &Db,
    sector: Option<Sector>,
    axis: Option<i64>,
    page: i64,
) -> AppResult<Page<Listed>> {
    let (page, offset) = window(page);
    let filter = "FROM directory_entries e JOIN organizations o ON o.id = e.organization_id \
         WHERE e.status = 'approved' AND ($1 = '' OR o.sector = $1) \
         AND ($2 = 0 OR EXISTS (SELECT 1 FROM directory_interests i \
              WHERE i.organization_id = e.organization_id AND i.axis_id = $2))";
    let sector = sector.map(|s| s.as_str()).unwrap_or("");
    let axis = axis.unwrap_or(0);
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n {filter}"))
        .bind(sector)
        .bind(axis)
        .fetch_one(&db.pool)
        .await?
        .get("n");
    let rows = sqlx::query(&format!(
        "SELECT o.id, o.name, o.sector, e.territory, e.website, e.description {filter} \
         ORDER BY o.name, o.id LIMIT $3 OFFSET $4"
    ))
    .bind(sector)
    .bind(axis)
    .bind(PER_PAGE)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let items = with_interests(db, rows.iter().map(listed).collect()).await?;
    Ok(Page::new(items, page, total))
}

/// How many approved organizations each sector has, in the sectors' order.
pub async fn by_sector(db: &Db) -> AppResult<Vec<(Sector, i64)>> {
    let rows = sqlx::query(
        "SELECT o.sector, COUNT(*) AS n FROM directory_entries e \
         JOIN organizations o ON o.id = e.organization_id \
         WHERE e.status = 'approved' GROUP BY o.sector",
    )
    .fetch_all(&db.pool)
    .await?;
    let counts: HashMap<String, i64> = rows
        .iter()
        .map(|r| (r.get::<String, _>("sector"), r.get::<i64, _>("n")))
        .collect();
    Ok(Sector::ALL
        .into_iter()
        .map(|s| (s, counts.get(s.as_str()).copied().unwrap_or(0)))
        .collect())
}

/// The registrations waiting for the team, oldest first, with their contacts.
pub async fn pending(db: &Db, page: i64, utc_offset_minutes: i32) -> AppResult<Page<Pending>> {
    let (page, offset) = window(page);
    let total: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM directory_entries WHERE status = 'pending'")
            .fetch_one(&db.pool)
            .await?
            .get("n");
    let rows = sqlx::query(
        "SELECT o.id, o.name, o.sector, e.territory, e.website, e.description, e.contact_email, \
         e.registered_at, COALESCE(u.display_name, '') AS registered_by \
         FROM directory_entries e JOIN organizations o ON o.id = e.organization_id \
         LEFT JOIN users u ON u.id = e.registered_by \
         WHERE e.status = 'pending' ORDER BY e.registered_at, o.id LIMIT $1 OFFSET $2",
    )
    .bind(PER_PAGE)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let listed_rows = with_interests(db, rows.iter().map(listed).collect()).await?;
    let items = rows
        .iter()
        .zip(listed_rows)
        .map(|(r, listed)| Pending {
            listed,
            contact_email: r.get("contact_email"),
            registered_by: r.get("registered_by"),
            registered_on: crate::ctx::local_date(r.get("registered_at"), utc_offset_minutes),
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// The registrations a person made, newest first.
pub async fn mine(db: &Db, user_id: i64) -> AppResult<Vec<Mine>> {
    Ok(sqlx::query(
        "SELECT o.name, e.status, e.reason FROM directory_entries e \
         JOIN organizations o ON o.id = e.organization_id \
         WHERE e.registered_by = $1 ORDER BY e.registered_at DESC, o.id DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Mine {
        name: r.get("name"),
        status: Status::parse(&r.get::<String, _>("status")).unwrap_or(Status::Pending),
        reason: r.get("reason"),
    })
    .collect())
}

/// The team's decision on a waiting registration: approved (the one who
/// registered it becomes its representative) or turned down with a reason.
/// Audited, and the registrant is told. False when nothing was waiting.
pub async fn decide(
    db: &Db,
    base_url: &str,
    organization_id: i64,
    approve: bool,
    reason: &str,
    actor_id: i64,
) -> AppResult<bool> {
    let status = Status::decided(approve);
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query(
        "UPDATE directory_entries SET status = $1, reason = $2, decided_by = $3, decided_at = $4 \
         WHERE organization_id = $5 AND status = 'pending' RETURNING registered_by",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(actor_id)
    .bind(now())
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let registrant: Option<i64> = row.get("registered_by");
    let name = crate::accounts::store::organization_name(&mut tx, organization_id)
        .await?
        .unwrap_or_default();
    if let Some(user_id) = registrant {
        if approve {
            crate::accounts::store::join_organization(&mut tx, user_id, organization_id).await?;
        }
        notify(
            &mut tx,
            base_url,
            &Notice {
                user_id,
                kind: NotificationKind::OrganizationReviewed,
                subject_id: organization_id,
                subject_title: &name,
                detail: reason,
            },
        )
        .await?;
    }
    let action = format!("organization.{}", status.as_str());
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(actor_id),
        &action,
        &format!("organization:{organization_id}"),
        reason,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The listed (approved) organizations among `ids`, with their name and the
/// contact only the team reads, inside the caller's transaction.
pub async fn contacts(tx: &mut Tx, ids: &[i64]) -> AppResult<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT o.id, o.name, e.contact_email FROM directory_entries e \
         JOIN organizations o ON o.id = e.organization_id \
         WHERE e.status = 'approved' AND o.id IN ({}) ORDER BY o.id",
        crate::db::id_list(ids)
    );
    Ok(sqlx::query(&sql)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| (r.get("id"), r.get("name"), r.get("contact_email")))
        .collect())
}

/// Adds interests an organization declared (an answer to a survey), inside
/// the caller's transaction.
pub async fn add_interests(tx: &mut Tx, organization_id: i64, axis_ids: &[i64]) -> AppResult<()> {
    for axis in axis_ids.iter().take(INTERESTS_MAX) {
        sqlx::query(
            "INSERT INTO directory_interests (organization_id, axis_id) \
             SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM directory_entries WHERE organization_id = $1) \
             ON CONFLICT DO NOTHING",
        )
        .bind(organization_id)
        .bind(axis)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// (demo data) Lists an existing organization as it stands (`status`), unless
/// it is listed already; an approved one's registrant represents it.
pub async fn seed_entry(
    db: &Db,
    organization_id: i64,
    r: &Entry<'_>,
    status: Status,
    registered_by: Option<i64>,
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    let added = enter(&mut tx, organization_id, r, status, registered_by).await?;
    if added {
        if let (Status::Approved, Some(user_id)) = (status, registered_by) {
            crate::accounts::store::join_organization(&mut tx, user_id, organization_id).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// (privacy) The organizations a person registered, with the contact they gave.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT o.name, e.status, e.contact_email, e.registered_at FROM directory_entries e \
         JOIN organizations o ON o.id = e.organization_id WHERE e.registered_by = $1 \
         ORDER BY e.registered_at LIMIT 1000",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "organization": r.get::<String, _>("name"),
                "status": r.get::<String, _>("status"),
                "contact_email": r.get::<String, _>("contact_email"),
                "registered_at": r.get::<i64, _>("registered_at"),
            })
        })
        .collect())
}

/// (privacy) A deleted account's registrations stay with their organizations,
/// without the person, and without a contact that was one of their addresses.
pub async fn forget(tx: &mut Tx, user_id: i64, addresses: &[String]) -> AppResult<()> {
    for address in addresses {
        sqlx::query(
            "UPDATE directory_entries SET contact_email = '' \
             WHERE registered_by = $1 AND lower(contact_email) = lower($2)",
        )
        .bind(user_id)
        .bind(address)
        .execute(&mut **tx)
        .await?;
    }
    super::joins::forget(tx, user_id, addresses).await?;
    sqlx::query("UPDATE directory_entries SET registered_by = NULL WHERE registered_by = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
