//! (ssr) SQL for invitations by theme. Organizations, roundtables, mail and
//! the survey are read through their own stores.
use super::model::*;
use crate::accounts::model::Sector;
use crate::db::{now, Db};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;
use std::collections::{BTreeSet, HashMap};

/// An invitation to send: to the process, or to one of its roundtables.
pub struct Invite<'a> {
    pub process_id: i64,
    pub roundtable_id: Option<i64>,
    pub organization_ids: &'a [i64],
    pub actor: i64,
}

/// Invites the listed organizations among `organization_ids` that were not
/// invited to the same thing yet: each gets a personal link by mail (`mail`
/// writes subject and body for the organization's name and the link's token).
/// Returns how many were invited.
pub async fn send(
    db: &Db,
    invite: &Invite<'_>,
    mail: impl Fn(&str, &str) -> (String, String),
) -> AppResult<usize> {
    let mut tx = db.begin_write().await?;
    let contacts = crate::stakeholders::store::contacts(&mut tx, invite.organization_ids).await?;
    let mut invited = vec![];
    for (organization_id, name, contact) in contacts.iter().filter(|c| !c.2.is_empty()) {
        let token = crate::accounts::secrets::new_token();
        let row = sqlx::query(
            "INSERT INTO theme_invitations (process_id, roundtable_id, organization_id, token_hash, \
             sent_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(invite.process_id)
        .bind(invite.roundtable_id)
        .bind(organization_id)
        .bind(crate::accounts::secrets::token_hash(&token))
        .bind(now())
        .bind(invite.actor)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { continue };
        let id: i64 = row.get("id");
        let (subject, body) = mail(name, &token);
        let outbox = crate::mail::queue_secret(&mut tx, contact, &subject, &body).await?;
        sqlx::query("UPDATE theme_invitations SET outbox_id = $1 WHERE id = $2")
            .bind(outbox)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        invited.push(*organization_id);
    }
    let subject = match invite.roundtable_id {
        Some(r) => format!("roundtable:{r}"),
        None => format!("process:{}", invite.process_id),
    };
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(invite.actor),
        "invitation.send",
        &subject,
        &crate::db::id_list(&invited),
    )
    .await?;
    tx.commit().await?;
    Ok(invited.len())
}

struct Row {
    organization_id: i64,
    roundtable_id: Option<i64>,
    outbox_id: Option<i64>,
    sent_at: i64,
    opened: bool,
    registered: bool,
}

/// Every invitation of a process, newest first (at most the directory's
/// organizations times the process's roundtables and itself).
async fn rows(db: &Db, process_id: i64, limit: i64, offset: i64) -> AppResult<Vec<Row>> {
    Ok(sqlx::query(
        "SELECT organization_id, roundtable_id, outbox_id, sent_at, opened_at, registered_at \
         FROM theme_invitations WHERE process_id = $1 ORDER BY sent_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(process_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Row {
        organization_id: r.get("organization_id"),
        roundtable_id: r.get("roundtable_id"),
        outbox_id: r.get("outbox_id"),
        sent_at: r.get("sent_at"),
        opened: r.get::<Option<i64>, _>("opened_at").is_some(),
        registered: r.get::<Option<i64>, _>("registered_at").is_some(),
    })
    .collect())
}

/// Where each of `rows` stands (one outbox query for all).
async fn states(db: &Db, rows: &[Row]) -> AppResult<Vec<InvitationState>> {
    let mails: Vec<i64> = rows.iter().filter_map(|r| r.outbox_id).collect();
    let delivered = crate::mail::delivered(db, &mails).await?;
    Ok(rows
        .iter()
        .map(|r| {
            if r.registered {
                InvitationState::Registered
            } else if r.opened {
                InvitationState::Opened
            } else if r.outbox_id.is_some_and(|m| delivered.contains(&m)) {
                InvitationState::Sent
            } else {
                InvitationState::Queued
            }
        })
        .collect())
}

const ALL_ROWS: i64 = 100_000;

/// One page of a process's invitations as the team follows them, and how many
/// are in each state.
pub async fn follow(
    db: &Db,
    process_id: i64,
    page: i64,
    utc_offset_minutes: i32,
) -> AppResult<(Page<Followed>, Vec<(InvitationState, i64)>)> {
    let all = rows(db, process_id, ALL_ROWS, 0).await?;
    let all_states = states(db, &all).await?;
    let by_state = [
        InvitationState::Queued,
        InvitationState::Sent,
        InvitationState::Opened,
        InvitationState::Registered,
    ]
    .into_iter()
    .map(|s| (s, all_states.iter().filter(|x| **x == s).count() as i64))
    .collect();
    let (page, offset) = window(page);
    let shown = rows(db, process_id, PER_PAGE, offset).await?;
    let shown_states = states(db, &shown).await?;
    let ids: Vec<i64> = shown.iter().map(|r| r.organization_id).collect();
    let orgs = crate::accounts::store::organizations_by_id(db, &ids).await?;
    let roundtables: HashMap<i64, String> = crate::roundtables::store::titles(db, process_id)
        .await?
        .into_iter()
        .collect();
    let items = shown
        .iter()
        .zip(shown_states)
        .filter_map(|(r, state)| {
            let o = orgs.get(&r.organization_id)?;
            Some(Followed {
                organization: o.name.clone(),
                sector: o.sector,
                roundtable: r.roundtable_id.and_then(|id| roundtables.get(&id).cloned()),
                state,
                sent_on: crate::ctx::local_date(r.sent_at, utc_offset_minutes),
            })
        })
        .collect();
    Ok((Page::new(items, page, all.len() as i64), by_state))
}

/// The invitation a personal link holds, marked opened the first time:
/// (process, roundtable, organization, registered already).
pub async fn open(db: &Db, token_hash: &str) -> AppResult<Option<(i64, Option<i64>, i64, bool)>> {
    sqlx::query(
        "UPDATE theme_invitations SET opened_at = $1 WHERE token_hash = $2 AND opened_at IS NULL",
    )
    .bind(now())
    .bind(token_hash)
    .execute(db.writer())
    .await?;
    Ok(sqlx::query(
        "SELECT process_id, roundtable_id, organization_id, registered_at FROM theme_invitations \
         WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db.writer())
    .await?
    .map(|r| {
        (
            r.get("process_id"),
            r.get("roundtable_id"),
            r.get("organization_id"),
            r.get::<Option<i64>, _>("registered_at").is_some(),
        )
    }))
}

/// Records that `user_id` registered through the link: (process, roundtable)
/// it invites to, or `None` when the link is unknown or someone else used it.
pub async fn take_up(
    db: &Db,
    token_hash: &str,
    user_id: i64,
) -> AppResult<Option<(i64, Option<i64>)>> {
    let t = now();
    Ok(sqlx::query(
        "UPDATE theme_invitations SET registered_at = COALESCE(registered_at, $1), registered_by = $2, \
         opened_at = COALESCE(opened_at, $1) \
         WHERE token_hash = $3 AND (registered_at IS NULL OR registered_by = $2) \
         RETURNING process_id, roundtable_id",
    )
    .bind(t)
    .bind(user_id)
    .bind(token_hash)
    .fetch_optional(db.writer())
    .await?
    .map(|r| (r.get("process_id"), r.get("roundtable_id"))))
}

/// The process's figures by sector (and in all, sector `None`): organizations
/// invited (by theme or to the survey), answering the survey, and taking part
/// (registered through an invitation, or a member attended a roundtable).
pub async fn figures(db: &Db, process_id: i64) -> AppResult<Vec<SectorFigures>> {
    let rows = sqlx::query(
        "SELECT organization_id, registered_at FROM theme_invitations WHERE process_id = $1 LIMIT 100000",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?;
    let (surveyed, answered) = crate::survey::store::by_sector(db, process_id).await?;
    let mut invited: BTreeSet<i64> = rows.iter().map(|r| r.get("organization_id")).collect();
    invited.extend(surveyed);
    let mut took_part: BTreeSet<i64> = rows
        .iter()
        .filter(|r| r.get::<Option<i64>, _>("registered_at").is_some())
        .map(|r| r.get("organization_id"))
        .collect();
    let attendees = crate::roundtables::store::attendees_in(db, process_id).await?;
    took_part.extend(crate::accounts::store::organizations_of_people(db, &attendees).await?);
    let answered: BTreeSet<i64> = answered.into_iter().collect();
    let every: Vec<i64> = invited
        .union(&took_part)
        .chain(answered.iter())
        .copied()
        .collect();
    let orgs = crate::accounts::store::organizations_by_id(db, &every).await?;
    let sector_of = |id: &i64| orgs.get(id).map(|o| o.sector);
    let count = |set: &BTreeSet<i64>, sector: Option<Sector>| {
        set.iter()
            .filter(|id| sector.is_none() || sector_of(id) == sector)
            .count() as i64
    };
    let mut out: Vec<SectorFigures> = Sector::ALL
        .into_iter()
        .map(Some)
        .chain([None])
        .map(|sector| SectorFigures {
            sector,
            invited: count(&invited, sector),
            answered: count(&answered, sector),
            took_part: count(&took_part, sector),
        })
        .collect();
    // Sectors with nothing to tell are left out; the total stays.
    out.retain(|f| f.sector.is_none() || f.invited + f.answered + f.took_part > 0);
    Ok(out)
}

/// (demo data) Moves the invitation of `organization_id` to the process (or
/// one of its roundtables) along: opened, and registered by someone.
pub async fn seed_progress(
    db: &Db,
    process_id: i64,
    roundtable_id: Option<i64>,
    organization_id: i64,
    registered_by: Option<i64>,
) -> AppResult<()> {
    let t = now();
    sqlx::query(
        "UPDATE theme_invitations SET opened_at = $1, registered_at = CASE WHEN $2 > 0 THEN $1 END, \
         registered_by = CASE WHEN $2 > 0 THEN $2 END \
         WHERE process_id = $3 AND organization_id = $4 AND COALESCE(roundtable_id, 0) = $5",
    )
    .bind(t)
    .bind(registered_by.unwrap_or(0))
    .bind(process_id)
    .bind(organization_id)
    .bind(roundtable_id.unwrap_or(0))
    .execute(db.writer())
    .await?;
    Ok(())
}

/// (privacy) Invitations a person registered through stay, without them.
pub async fn forget(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE theme_invitations SET registered_by = NULL WHERE registered_by = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
