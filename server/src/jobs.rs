//! Background jobs: mail delivery from the outbox, and clean-up of expired sessions,
//! old login attempts and idle rate limiters. Several app instances may run these at once: each mail is
//! claimed with a conditional UPDATE so only one instance sends it.
use crate::mailer::Mailer;
use app::ctx::AppState;
use app::db::now;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;

/// A claim older than this is considered abandoned (the instance died) and retried.
const CLAIM_TIMEOUT: i64 = 300;
const MAX_ATTEMPTS: i64 = 8;

pub fn spawn(state: AppState, mailer: Arc<Mailer>, from: String, retention_days: i64) {
    let s = state.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_pending(&s, &mailer, &from).await {
                tracing::error!(error = %e, "mail job failed");
            }
            // Wake on a new message, or poll every few seconds for retries.
            let _ = tokio::time::timeout(Duration::from_secs(5), s.outbox_wakeup.notified()).await;
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let _ = app::accounts::store::delete_expired_sessions(&state.db).await;
            let _ = app::accounts::store::prune_attempts(&state.db, now() - 24 * 3600).await;
            if let Err(e) = purge_outbox(&state, retention_days).await {
                tracing::error!(error = %e, "purging the outbox failed");
            }
        }
    });
}

/// Sent mail is kept `retention_days` (to answer "did you send me...?"), then
/// deleted; so is mail that could not be delivered in as long (at least a day).
/// A secret that was never sent goes once its link has expired.
pub async fn purge_outbox(state: &AppState, retention_days: i64) -> anyhow::Result<()> {
    let before = now() - retention_days.max(1) * 24 * 3600;
    sqlx::query(
        "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) \
         OR (sent_at IS NULL AND created_at < $1)",
    )
    .bind(before)
    .execute(state.db.writer())
    .await?;
    // A link that could not be sent while it was valid is not kept either.
    sqlx::query("DELETE FROM outbox WHERE secret = 1 AND sent_at IS NULL AND created_at < $1")
        .bind(now() - app::accounts::store::CONFIRM_SECONDS)
        .execute(state.db.writer())
        .await?;
    Ok(())
}

/// Drops the rate limiters' state of callers that have been quiet a while.
pub fn spawn_forget_idle(limits: crate::limits::Limits) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limits.forget_idle();
        }
    });
}

/// Jobs that depend on the calendar: held feasibility answers are published once
/// the stage has closed; seat holders are reminded of a roundtable the day
/// before; agencies of milestones needing progress. Safe on several instances: publication is one transaction
/// that only takes answers still unpublished.
pub fn spawn_schedule(state: AppState, every_seconds: u64) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(every_seconds.max(1)));
        loop {
            tick.tick().await;
            let today = app::ctx::today(&state.settings);
            let base_url = state.settings.base_url.clone();
            match app::feasibility::store::publish_due(&state.db, &base_url, &today).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(answers = n, "held answers published");
                    state.mail_queued();
                    state.page_changes.changed();
                }
                Err(e) => tracing::error!(error = %e, "publishing held answers failed"),
            }
            match app::roundtables::store::remind_upcoming(&state.db, &base_url).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(people = n, "roundtable reminders sent");
                    state.mail_queued();
                }
                Err(e) => tracing::error!(error = %e, "roundtable reminders failed"),
            }
            match app::monitoring::api::send_reminders(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(agencies = n, "monitoring reminders sent"),
                Err(e) => tracing::error!(error = %e, "monitoring reminders failed"),
            }
        }
    });
}

pub(crate) async fn deliver_pending(
    state: &AppState,
    mailer: &Mailer,
    from: &str,
) -> anyhow::Result<()> {
    let t = now();
    let rows = sqlx::query(
        "SELECT id, to_addr, subject, body, attempts, attachment_name, attachment_type, attachment, unsubscribe FROM outbox \
         WHERE sent_at IS NULL AND attempts < $1 AND (claimed_at IS NULL OR claimed_at < $2) \
         ORDER BY id LIMIT 50",
    )
    .bind(MAX_ATTEMPTS)
    .bind(t - CLAIM_TIMEOUT)
    .fetch_all(&state.db.pool)
    .await?;
    for row in rows {
        let id: i64 = row.get("id");
        let claimed = sqlx::query(
            "UPDATE outbox SET claimed_at = $1, attempts = attempts + 1 \
             WHERE id = $2 AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < $3)",
        )
        .bind(t)
        .bind(id)
        .bind(t - CLAIM_TIMEOUT)
        .execute(state.db.writer())
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let to: String = row.get("to_addr");
        let attachment = match (
            row.get::<Option<String>, _>("attachment_name"),
            row.get::<Option<String>, _>("attachment_type"),
            row.get::<Option<String>, _>("attachment"),
        ) {
            (Some(name), Some(content_type), Some(body)) => Some(app::mail::MailAttachment {
                name,
                content_type,
                body,
            }),
            _ => None,
        };
        let result = mailer
            .send(
                from,
                &to,
                &row.get::<String, _>("subject"),
                &row.get::<String, _>("body"),
                attachment.as_ref(),
                row.get::<Option<String>, _>("unsubscribe").as_deref(),
            )
            .await;
        match result {
            Ok(()) => {
                // A secret (a link with a token) is not kept once it has gone out.
                sqlx::query(
                    "UPDATE outbox SET sent_at = $1, body = CASE WHEN secret = 1 THEN '' ELSE body END \
                     WHERE id = $2",
                )
                    .bind(now())
                    .bind(id)
                    .execute(state.db.writer())
                    .await?;
            }
            Err(e) => {
                tracing::warn!(error = %e, id, "mail not sent; will retry");
                // Release the claim after a back-off so the next poll retries it.
                let attempts: i64 = row.get::<i64, _>("attempts") + 1;
                let backoff = (30 * attempts * attempts).min(CLAIM_TIMEOUT);
                sqlx::query("UPDATE outbox SET claimed_at = $1, last_error = $2 WHERE id = $3")
                    .bind(now() - CLAIM_TIMEOUT + backoff)
                    .bind(e.to_string())
                    .bind(id)
                    .execute(state.db.writer())
                    .await?;
            }
        }
    }
    Ok(())
}
