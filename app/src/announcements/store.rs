//! (ssr) SQL for the contact base and announcements. The job that sends them
//! lives in the server (it holds the mail transport); it reads and records
//! through the functions here.
use super::model::*;
use crate::db::{now, Db, Tx};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use crate::processes::model::Stage;
use sqlx::Row as _;

/// A confirmation mail is sent at most this often to one address, so the
/// form cannot be used to flood someone's inbox.
pub const ASK_AGAIN_SECONDS: i64 = 3600;

/// What asking to join the base with an address leads to.
pub enum Joined {
    /// Mail this token to the address to confirm it.
    Confirm(String),
    /// Already in (or asked within the hour): nothing to send.
    Nothing,
}

/// Records a wish to join the contact base with `email` (lower-cased). A new
/// address, or one that left or never confirmed, is sent a confirmation;
/// a confirmed one is left as it is. The answer to the visitor is the same
/// either way, so the form tells no one who is in the base.
pub async fn join(db: &Db, email: &str, locale: &str) -> AppResult<Joined> {
    let t = now();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT id, token, confirmed_at, unsubscribed_at, asked_at FROM contacts WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(&mut *tx)
    .await?;
    let joined = match row {
        None => {
            let token = crate::accounts::secrets::new_token();
            sqlx::query(
                "INSERT INTO contacts (email, locale, token, created_at, asked_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(email)
            .bind(locale)
            .bind(&token)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            Joined::Confirm(token)
        }
        Some(r) => {
            let confirmed = r.get::<Option<i64>, _>("confirmed_at").is_some();
            let left = r.get::<Option<i64>, _>("unsubscribed_at").is_some();
            let asked_recently = r.get::<i64, _>("asked_at") > t - ASK_AGAIN_SECONDS;
            if (confirmed && !left) || asked_recently {
                Joined::Nothing
            } else {
                sqlx::query("UPDATE contacts SET asked_at = $1, locale = $2 WHERE id = $3")
                    .bind(t)
                    .bind(locale)
                    .bind(r.get::<i64, _>("id"))
                    .execute(&mut *tx)
                    .await?;
                Joined::Confirm(r.get("token"))
            }
        }
    };
    tx.commit().await?;
    Ok(joined)
}

/// Confirms the address that `token` was mailed to: from now on it gets
/// announcements. `false` for an unknown token.
pub async fn confirm(db: &Db, token: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE contacts SET confirmed_at = $1, unsubscribed_at = NULL \
         WHERE token = $2 AND (confirmed_at IS NULL OR unsubscribed_at IS NOT NULL)",
    )
    .bind(now())
    .bind(token)
    .execute(db.writer())
    .await?;
    if done.rows_affected() == 1 {
        return Ok(true);
    }
    // Confirming twice is not an error.
    Ok(sqlx::query("SELECT 1 FROM contacts WHERE token = $1")
        .bind(token)
        .fetch_optional(db.writer())
        .await?
        .is_some())
}

/// Takes the address of `token` out of the base: no announcement reaches it
/// from now on, including those being sent. `false` for an unknown token.
pub async fn leave(db: &Db, token: &str) -> AppResult<bool> {
    sqlx::query(
        "UPDATE contacts SET unsubscribed_at = $1 WHERE token = $2 AND unsubscribed_at IS NULL",
    )
    .bind(now())
    .bind(token)
    .execute(db.writer())
    .await?;
    Ok(sqlx::query("SELECT 1 FROM contacts WHERE token = $1")
        .bind(token)
        .fetch_optional(db.writer())
        .await?
        .is_some())
}

const SUBSCRIBED: &str = "confirmed_at IS NOT NULL AND unsubscribed_at IS NULL";

/// How many addresses are in the base now.
pub async fn subscribers(db: &Db) -> AppResult<i64> {
    Ok(sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM contacts WHERE {SUBSCRIBED}"
    ))
    .fetch_one(&db.pool)
    .await?
    .get("n"))
}

/// An announcement to write.
pub struct NewAnnouncement<'a> {
    pub process_id: i64,
    pub stage: Option<Stage>,
    pub subject: &'a str,
    pub body: &'a str,
    pub actor: i64,
}

/// Writes an announcement for everyone in the base now (audited); the
/// announcement job sends it. Returns its id and how many it goes to.
pub async fn create(db: &Db, a: &NewAnnouncement<'_>) -> AppResult<(i64, i64)> {
    let mut tx = db.begin_write().await?;
    // Those who join while it is being sent wait for the next one: the list
    // is fixed now, so its progress has a total.
    let row = sqlx::query(&format!(
        "SELECT COALESCE(MAX(id), 0) AS last, COUNT(*) AS n FROM contacts WHERE {SUBSCRIBED}"
    ))
    .fetch_one(&mut *tx)
    .await?;
    let (last, total): (i64, i64) = (row.get("last"), row.get("n"));
    let id: i64 = sqlx::query(
        "INSERT INTO announcements (process_id, stage, subject, body, created_by, created_at, \
         last_contact, total) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.process_id)
    .bind(a.stage.map(Stage::as_str))
    .bind(a.subject)
    .bind(a.body)
    .bind(a.actor)
    .bind(now())
    .bind(last)
    .bind(total)
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    crate::accounts::store::audit_with(
        &mut *tx,
        Some(a.actor),
        "announcement.create",
        &format!("process:{}", a.process_id),
        &format!("announcement:{id} to {total}"),
    )
    .await?;
    tx.commit().await?;
    Ok((id, total))
}

/// Whether an announcement of the process with this subject is being sent.
pub async fn sending(db: &Db, process_id: i64, subject: &str) -> AppResult<bool> {
    Ok(sqlx::query(
        "SELECT 1 FROM announcements WHERE process_id = $1 AND subject = $2 AND finished_at IS NULL",
    )
    .bind(process_id)
    .bind(subject)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

/// One page of a process's announcements, newest first, with their progress
/// (counted in one query for the page).
pub async fn list(
    db: &Db,
    process_id: i64,
    page: i64,
    utc_offset_minutes: i32,
) -> AppResult<Page<Announced>> {
    let (page, offset) = window(page);
    let rows = sqlx::query(
        "SELECT a.id, a.subject, a.stage, a.created_at, a.total, a.finished_at, \
         (SELECT COUNT(*) FROM announcements WHERE process_id = $1) AS all_count, \
         COALESCE(SUM(CASE WHEN d.sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent, \
         COALESCE(SUM(CASE WHEN d.failed IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed \
         FROM announcements a LEFT JOIN announcement_deliveries d ON d.announcement_id = a.id \
         WHERE a.process_id = $1 \
         GROUP BY a.id, a.subject, a.stage, a.created_at, a.total, a.finished_at \
         ORDER BY a.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(process_id)
    .bind(PER_PAGE)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let total = match rows.first() {
        Some(r) => r.get("all_count"),
        None => {
            crate::db::count(
                db,
                "SELECT COUNT(*) AS n FROM announcements WHERE process_id = $1",
                &[crate::db::Arg::Int(process_id)],
            )
            .await?
        }
    };
    let items = rows
        .iter()
        .map(|r| Announced {
            id: r.get("id"),
            subject: r.get("subject"),
            stage: r
                .get::<Option<String>, _>("stage")
                .as_deref()
                .and_then(Stage::parse),
            created_on: crate::ctx::local_date(r.get("created_at"), utc_offset_minutes),
            total: r.get("total"),
            sent: r.get("sent"),
            failed: r.get("failed"),
            finished: r.get::<Option<i64>, _>("finished_at").is_some(),
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// An announcement being sent, with the next people it goes to.
pub struct Batch {
    pub announcement_id: i64,
    pub process_id: i64,
    pub subject: String,
    pub body: String,
    pub recipients: Vec<Recipient>,
}

pub struct Recipient {
    pub contact_id: i64,
    pub email: String,
    pub token: String,
    pub locale: String,
}

/// The oldest announcement not finished and up to `n` subscribers it has not
/// reached yet, in the order of the base; `None` when nothing is pending. An
/// announcement with nobody left is marked finished and the next one looked at.
pub async fn next_batch(db: &Db, n: i64) -> AppResult<Option<Batch>> {
    loop {
        let Some(a) = sqlx::query(
            "SELECT id, process_id, subject, body, last_contact, passed_contact FROM announcements \
             WHERE finished_at IS NULL ORDER BY id LIMIT 1",
        )
        .fetch_optional(&db.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: i64 = a.get("id");
        // Past the cursor only (those before it were claimed); the claim
        // itself (a row per person) is what keeps anyone from a second copy.
        let recipients: Vec<Recipient> = sqlx::query(&format!(
            "SELECT id, email, token, locale FROM contacts \
             WHERE id > $1 AND id <= $2 AND {SUBSCRIBED} ORDER BY id LIMIT $3"
        ))
        .bind(a.get::<i64, _>("passed_contact"))
        .bind(a.get::<i64, _>("last_contact"))
        .bind(n)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Recipient {
            contact_id: r.get("id"),
            email: r.get("email"),
            token: r.get("token"),
            locale: r.get("locale"),
        })
        .collect();
        if recipients.is_empty() {
            sqlx::query(
                "UPDATE announcements SET finished_at = $1 WHERE id = $2 AND finished_at IS NULL",
            )
            .bind(now())
            .bind(id)
            .execute(db.writer())
            .await?;
            continue;
        }
        return Ok(Some(Batch {
            announcement_id: id,
            process_id: a.get("process_id"),
            subject: a.get("subject"),
            body: a.get("body"),
            recipients,
        }));
    }
}

/// Claims sending announcement `announcement` to `contact`: `true` for the
/// one caller (of any instance, before or after a restart) that may send it.
/// A claim is never taken back once the mail may have gone out, so no one
/// gets the same announcement twice.
pub async fn claim(db: &Db, announcement: i64, contact: i64) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    // Still in the base: leaving stops what is being sent too.
    let subscribed = sqlx::query(&format!(
        "SELECT 1 FROM contacts WHERE id = $1 AND {SUBSCRIBED}"
    ))
    .bind(contact)
    .fetch_optional(&mut *tx)
    .await?
    .is_some();
    let claimed = subscribed
        && sqlx::query(
            "INSERT INTO announcement_deliveries (announcement_id, contact_id, claimed_at) \
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(announcement)
        .bind(contact)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
    advance(&mut tx, announcement, contact).await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Moves the announcement's cursor past `contact` (never back).
async fn advance(tx: &mut Tx, announcement: i64, contact: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE announcements SET passed_contact = $1 WHERE id = $2 AND passed_contact < $1",
    )
    .bind(contact)
    .bind(announcement)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that the mail went out.
pub async fn sent(db: &Db, announcement: i64, contact: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE announcement_deliveries SET sent_at = $1 WHERE announcement_id = $2 AND contact_id = $3",
    )
    .bind(now())
    .bind(announcement)
    .bind(contact)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Records that the mail server refused the address for good.
pub async fn failed(db: &Db, announcement: i64, contact: i64, error: &str) -> AppResult<()> {
    let error: String = error.chars().take(500).collect();
    sqlx::query(
        "UPDATE announcement_deliveries SET failed = $1 WHERE announcement_id = $2 AND contact_id = $3",
    )
    .bind(error)
    .bind(announcement)
    .bind(contact)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Gives a claim back when the mail server could not be reached (nothing
/// went out): the mail is tried again later. The cursor goes back too.
pub async fn release(db: &Db, announcement: i64, contact: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "DELETE FROM announcement_deliveries WHERE announcement_id = $1 AND contact_id = $2 \
         AND sent_at IS NULL",
    )
    .bind(announcement)
    .bind(contact)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE announcements SET passed_contact = $1 WHERE id = $2 AND passed_contact >= $3",
    )
    .bind(contact - 1)
    .bind(announcement)
    .bind(contact)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// (privacy) A deleted account's addresses leave the base and its records.
pub async fn forget(tx: &mut Tx, addresses: &[String]) -> AppResult<()> {
    for address in addresses {
        sqlx::query("DELETE FROM contacts WHERE email = $1")
            .bind(address.to_lowercase())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
