//! (ssr) Outgoing mail is written to the `outbox` table in the request that causes
//! it; the server's mail job delivers it (SMTP, or files in development) and
//! retries, so a mail server being down loses nothing.
use crate::ctx::AppState;
use crate::db::now;
use crate::error::AppResult;

pub async fn enqueue(state: &AppState, to: &str, subject: &str, body: &str) -> AppResult<()> {
    sqlx::query("INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now())
        .execute(&state.db.pool)
        .await?;
    state.outbox_wakeup.notify_one();
    Ok(())
}
