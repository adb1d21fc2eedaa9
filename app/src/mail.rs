//! (ssr) Outgoing mail is written to the `outbox` table in the request that causes
//! it; the server's mail job delivers it (SMTP, or files in development) and
//! retries, so a mail server being down loses nothing.
use crate::ctx::AppState;
use crate::db::{now, Tx};
use crate::error::AppResult;

const INSERT: &str =
    "INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)";

/// Writes a mail that carries a secret (a link with a token): the mail job
/// empties its body once it is sent, so the outbox never keeps it readable.
async fn insert_secret<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    to: &str,
    subject: &str,
    body: &str,
) -> AppResult<i64> {
    use sqlx::Row as _;
    Ok(sqlx::query(
        "INSERT INTO outbox (to_addr, subject, body, created_at, secret) VALUES ($1, $2, $3, $4, 1) \
         RETURNING id",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now())
    .fetch_one(executor)
    .await?
    .get("id"))
}

/// Queues a mail that carries a secret, and wakes the mail job.
pub async fn enqueue_secret(
    state: &AppState,
    to: &str,
    subject: &str,
    body: &str,
) -> AppResult<()> {
    insert_secret(state.db.writer(), to, subject, body).await?;
    state.outbox_wakeup.notify_one();
    Ok(())
}

/// `enqueue_secret` inside the transaction that makes the secret: the mail
/// goes only if the secret is kept, and the secret is kept only with its mail.
/// Returns the mail's id, to follow its delivery (`delivered`).
pub async fn queue_secret(tx: &mut Tx, to: &str, subject: &str, body: &str) -> AppResult<i64> {
    insert_secret(&mut **tx, to, subject, body).await
}

/// Which of the mails `ids` went out: sent, or gone from the outbox after its
/// retention period (so long after queueing that it went or never will).
pub async fn delivered(
    db: &crate::db::Db,
    ids: &[i64],
) -> AppResult<std::collections::HashSet<i64>> {
    use sqlx::Row as _;
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "SELECT id FROM outbox WHERE sent_at IS NULL AND id IN ({})",
        crate::db::id_list(ids)
    );
    let waiting: std::collections::HashSet<i64> = sqlx::query(&sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect();
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !waiting.contains(id))
        .collect())
}

/// Queues a notification mail (inside its transaction) with the address that
/// stops this kind of mail in one click (`List-Unsubscribe`), and a file when
/// it carries one (a calendar file).
pub async fn queue_notification(
    tx: &mut Tx,
    to: &str,
    subject: &str,
    body: &str,
    unsubscribe: &str,
    attachment: Option<&MailAttachment>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO outbox (to_addr, subject, body, created_at, unsubscribe, attachment_name, \
         attachment_type, attachment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now())
    .bind(unsubscribe)
    .bind(attachment.map(|a| a.name.clone()))
    .bind(attachment.map(|a| a.content_type.clone()))
    .bind(attachment.map(|a| a.body.clone()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A file sent with a mail (a calendar invitation).
pub struct MailAttachment {
    pub name: String,
    pub content_type: String,
    pub body: String,
}

/// `queue` with an attachment.
pub async fn queue_with(
    tx: &mut Tx,
    to: &str,
    subject: &str,
    body: &str,
    attachment: &MailAttachment,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO outbox (to_addr, subject, body, created_at, attachment_name, attachment_type, attachment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now())
    .bind(&attachment.name)
    .bind(&attachment.content_type)
    .bind(&attachment.body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues a mail inside a transaction: it goes out only if the transaction
/// commits (the mail job picks it up within seconds; call `AppState::mail_queued`
/// after the commit to send at once).
pub async fn queue(tx: &mut Tx, to: &str, subject: &str, body: &str) -> AppResult<()> {
    sqlx::query(INSERT)
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// (privacy) Mail to a deleted account's addresses goes, sent or not.
pub async fn forget(tx: &mut Tx, addresses: &[String]) -> AppResult<()> {
    for address in addresses {
        sqlx::query("DELETE FROM outbox WHERE to_addr = $1")
            .bind(address)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
