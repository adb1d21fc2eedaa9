//! (ssr) SQL for notifications. A notification and its email copy are written in
//! the transaction of the change that causes them, so neither is lost nor sent for
//! a change that did not happen; the mail job delivers the email.
use super::model::*;
use crate::db::{now, Db, Tx};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;

/// Something to tell one person.
pub struct Notice<'a> {
    pub user_id: i64,
    pub kind: NotificationKind,
    pub subject_id: i64,
    pub subject_title: &'a str,
    pub detail: &'a str,
}

/// Records the notification and queues its email, in the reader's language.
pub async fn notify(tx: &mut Tx, base_url: &str, n: &Notice<'_>) -> AppResult<()> {
    notify_with(tx, base_url, n, None).await
}

/// `notify`, the email carrying a file (a calendar file).
pub async fn notify_with(
    tx: &mut Tx,
    base_url: &str,
    n: &Notice<'_>,
    attachment: Option<&crate::mail::MailAttachment>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, subject_id, subject_title, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(n.user_id)
    .bind(n.kind.as_str())
    .bind(n.subject_id)
    .bind(n.subject_title)
    .bind(n.detail)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let key = n.kind.as_str();
    let Some(to) = crate::accounts::store::mail_contact(tx, n.user_id, key).await? else {
        return Ok(()); // gone, or does not want this kind by email
    };
    let (email, locale) = (to.email, to.locale);
    let link = format!("{base_url}{}", n.kind.href(n.subject_id));
    let unsubscribe = format!("{base_url}/unsubscribe/{}/{key}", to.unsubscribe_token);
    let detail = n.kind.detail_text(n.detail, locale);
    let args = [
        ("title", n.subject_title),
        ("detail", detail.as_str()),
        ("link", link.as_str()),
    ];
    crate::mail::queue_notification(
        tx,
        &email,
        &locale.tf(&format!("mail.{key}.subject"), &args),
        &locale.tf(&format!("mail.{key}.body"), &args),
        &unsubscribe,
        attachment,
    )
    .await
}

pub async fn list(
    db: &Db,
    user_id: i64,
    page: i64,
    offset_minutes: i32,
) -> AppResult<NotificationList> {
    let (page, offset) = window(page);
    let rows = sqlx::query(&format!(
        "SELECT id, kind, subject_id, subject_title, detail, created_at, read_at FROM notifications \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT {PER_PAGE} OFFSET {offset}"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let counts = sqlx::query(
        "SELECT COUNT(*) AS total, COUNT(read_at) AS seen FROM notifications WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    let total: i64 = counts.get("total");
    let items = rows
        .iter()
        .filter_map(|r| {
            Some(Notification {
                id: r.get("id"),
                kind: NotificationKind::parse(&r.get::<String, _>("kind"))?,
                subject_id: r.get("subject_id"),
                subject_title: r.get("subject_title"),
                detail: r.get("detail"),
                on: crate::ctx::local_date(r.get("created_at"), offset_minutes),
                read: r.get::<Option<i64>, _>("read_at").is_some(),
            })
        })
        .collect();
    Ok(NotificationList {
        page: Page::new(items, page, total),
        unread: total - counts.get::<i64, _>("seen"),
    })
}

/// How many unread notifications a person is told of at most (the menu shows
/// "99+" beyond): the count reads no more than these.
pub const UNREAD_COUNTED: i64 = 100;

/// The unread notifications of the person signed in with session `$1`, as a
/// column of the session's one query (`accounts::store::user_for_session`).
pub fn unread_of_session() -> String {
    format!(
        "(SELECT COUNT(*) FROM (SELECT 1 FROM sessions s \
         JOIN notifications n ON n.user_id = s.user_id \
         WHERE s.token_hash = $1 AND n.read_at IS NULL LIMIT {UNREAD_COUNTED}) unread)"
    )
}

pub async fn mark_read(db: &Db, user_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now())
        .bind(user_id)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// (privacy) The person's notifications.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT kind, subject_title, detail, created_at, read_at FROM notifications \
         WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::Value::Array(crate::db::rows_json(&rows)))
}

/// (privacy) A deleted account's notifications go.
pub async fn forget(tx: &mut Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM notifications WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
