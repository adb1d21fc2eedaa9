//! (ssr) SQL for accounts, sessions, resets, organizations and agencies.
use super::model::*;
use crate::db::{now, Db, Row};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;

pub const SESSION_SECONDS: i64 = 30 * 24 * 3600;
pub const RESET_SECONDS: i64 = 3600;

pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub active: bool,
}

pub async fn credentials(db: &Db, email: &str) -> AppResult<Option<Credentials>> {
    let row = sqlx::query("SELECT id, password_hash, active FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| Credentials {
        id: r.get("id"),
        password_hash: r.get("password_hash"),
        active: r.get::<i64, _>("active") == 1,
    }))
}

pub async fn email_taken(db: &Db, email: &str) -> AppResult<bool> {
    let row = sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// Creates a user; `None` if the email is already registered (checked by the
/// UNIQUE constraint, so two simultaneous sign-ups cannot both win). A person
/// who signs up gives `consent` (the privacy notice's version) and confirms
/// their address later; an account made by an administrator or the demo data
/// (`None`) is confirmed as made.
pub async fn create_user(
    db: &Db,
    email: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
    consent: Option<&str>,
) -> AppResult<Option<i64>> {
    let t = now();
    let row = sqlx::query(
        "INSERT INTO users (email, password_hash, display_name, role, created_at, consent_at, \
         consent_version, email_confirmed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(display_name)
    .bind(role.as_str())
    .bind(t)
    .bind(consent.map(|_| t))
    .bind(consent)
    .bind(consent.is_none().then_some(t))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| r.get("id")))
}

// --- email confirmation ---------------------------------------------------

pub const CONFIRM_SECONDS: i64 = 3 * 24 * 3600;

/// A confirmation of `email` (the account's own, or the new one it asks for);
/// it replaces any earlier one. `false` when one went to that address in the
/// last minute, or ten went out for the account today (nobody gets mail
/// bombed through it).
pub async fn create_confirmation(
    db: &Db,
    user_id: i64,
    email: &str,
    token_hash: &str,
) -> AppResult<bool> {
    let t = now();
    let mut tx = db.begin_write().await?;
    let recent = sqlx::query(
        "SELECT COUNT(*) AS today, SUM(CASE WHEN email = $2 AND created_at > $3 THEN 1 ELSE 0 END) AS now \
         FROM email_confirmations WHERE user_id = $1 AND created_at > $4",
    )
    .bind(user_id)
    .bind(email)
    .bind(t - 60)
    .bind(t - 24 * 3600)
    .fetch_one(&mut *tx)
    .await?;
    let just_sent: Option<i64> = recent.try_get("now").ok().flatten();
    if recent.get::<i64, _>("today") >= 10 || just_sent.unwrap_or(0) > 0 {
        return Ok(false);
    }
    end_confirmations(&mut tx, user_id, t).await?;
    sqlx::query(
        "INSERT INTO email_confirmations (token_hash, user_id, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(email)
    .bind(t)
    .bind(t + CONFIRM_SECONDS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub enum Confirmed {
    Done,
    Unknown,
    Expired,
    /// The new address was taken by another account meanwhile.
    Taken,
}

/// Ends the account's confirmations still open (a newer one replaces them, or
/// one was used).
async fn end_confirmations(tx: &mut crate::db::Tx, user_id: i64, at: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE email_confirmations SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
    )
    .bind(at)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Uses a confirmation, once, for the signed-in `user_id` it was made for: the
/// address becomes the account's, confirmed, and password resets sent to an
/// earlier address stop working.
pub async fn confirm_email(db: &Db, token_hash: &str, user_id: i64) -> AppResult<Confirmed> {
    let mut tx = db.begin_write().await?;
    let t = now();
    let Some(row) = sqlx::query(&format!(
        "SELECT user_id, email, expires_at FROM email_confirmations \
         WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL{}",
        db.for_update()
    ))
    .bind(token_hash)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Confirmed::Unknown);
    };
    if row.get::<i64, _>("expires_at") <= t {
        return Ok(Confirmed::Expired);
    }
    let (user_id, email): (i64, String) = (row.get("user_id"), row.get("email"));
    let taken = sqlx::query("SELECT 1 AS one FROM users WHERE email = $1 AND id <> $2")
        .bind(&email)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Ok(Confirmed::Taken);
    }
    let changed = sqlx::query(
        "UPDATE users SET email = $1, email_confirmed_at = $2 WHERE id = $3 AND deleted_at IS NULL",
    )
    .bind(&email)
    .bind(t)
    .bind(user_id)
    .execute(&mut *tx)
    .await;
    // A sign-up that took the address meanwhile (PostgreSQL's unique index says so).
    if let Err(sqlx::Error::Database(e)) = &changed {
        if e.is_unique_violation() {
            return Ok(Confirmed::Taken);
        }
    }
    changed?;
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    end_confirmations(&mut tx, user_id, t).await?;
    tx.commit().await?;
    Ok(Confirmed::Done)
}

/// The address a person asked to change to and has not confirmed yet.
pub async fn pending_email(db: &Db, user_id: i64) -> AppResult<Option<String>> {
    let row = sqlx::query(
        "SELECT c.email FROM email_confirmations c JOIN users u ON u.id = c.user_id \
         WHERE c.user_id = $1 AND c.used_at IS NULL AND c.expires_at > $2 AND c.email <> u.email \
         ORDER BY c.created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| r.get("email")))
}

// --- the person's own account ----------------------------------------------

/// What the account page shows of the person.
pub struct Own {
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub show_name_on_boards: bool,
    pub confirmed: bool,
    pub consent_at: Option<i64>,
    pub consent_version: Option<String>,
    pub created_at: i64,
    pub password_hash: String,
    pub optouts: Vec<String>,
}

pub async fn own(db: &Db, user_id: i64) -> AppResult<Option<Own>> {
    let Some(r) = sqlx::query(
        "SELECT email, display_name, locale, show_name_on_boards, email_confirmed_at, consent_at, \
         consent_version, created_at, password_hash FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let optouts = sqlx::query("SELECT kind FROM email_optouts WHERE user_id = $1 ORDER BY kind")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|o| o.get("kind"))
        .collect();
    Ok(Some(Own {
        email: r.get("email"),
        display_name: r.get("display_name"),
        locale: r.get("locale"),
        show_name_on_boards: r.get::<i64, _>("show_name_on_boards") == 1,
        confirmed: r.get::<Option<i64>, _>("email_confirmed_at").is_some(),
        consent_at: r.get("consent_at"),
        consent_version: r.get("consent_version"),
        created_at: r.get("created_at"),
        password_hash: r.get("password_hash"),
        optouts,
    }))
}

pub async fn save_profile(
    db: &Db,
    user_id: i64,
    display_name: &str,
    locale: crate::i18n::Locale,
    show_name_on_boards: bool,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET display_name = $1, locale = $2, show_name_on_boards = $3 WHERE id = $4",
    )
    .bind(display_name)
    .bind(locale.tag())
    .bind(show_name_on_boards as i64)
    .bind(user_id)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Which kinds of notification the person gets by email: all but `off`.
pub async fn set_optouts(db: &Db, user_id: i64, off: &[&str]) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM email_optouts WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for kind in off {
        sqlx::query("INSERT INTO email_optouts (user_id, kind, at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(*kind)
            .bind(now())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The account's own data for the person's download (never the password hash).
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let account = crate::db::rows_json(
        &sqlx::query(
            "SELECT id, email, display_name, role, locale, created_at, consent_at, consent_version, \
             email_confirmed_at, show_name_on_boards FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?,
    );
    let memberships = crate::db::rows_json(
        &sqlx::query(
            "SELECT 'organization' AS kind, o.name FROM organization_members m \
             JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 \
             UNION ALL SELECT 'agency', a.name FROM agency_members m \
             JOIN agencies a ON a.id = m.agency_id WHERE m.user_id = $1",
        )
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?,
    );
    let sessions = crate::db::rows_json(
        &sqlx::query("SELECT created_at, expires_at FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?,
    );
    let optouts = crate::db::rows_json(
        &sqlx::query("SELECT kind, at FROM email_optouts WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?,
    );
    Ok(serde_json::json!({
        "account": account.into_iter().next(),
        "memberships": memberships,
        "sessions": sessions,
        "email_kinds_off": optouts,
    }))
}

/// Every address mail may have gone to for the account: its own and the new
/// ones it asked to confirm.
pub async fn addresses(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT email FROM users WHERE id = $1 UNION SELECT email FROM email_confirmations WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.iter().map(|r| r.get("email")).collect())
}

/// Removes the account's personal data (inside the deletion's transaction):
/// the row stays, empty and inactive, for what the public record needs to
/// point at; sessions, memberships, tokens and preferences go.
pub async fn forget(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<()> {
    let t = now();
    sqlx::query(
        "UPDATE users SET email = $1, display_name = '', password_hash = '!', active = 0, \
         deleted_at = $2, unsubscribe_token = NULL, show_name_on_boards = 0, consent_at = NULL, \
         consent_version = NULL WHERE id = $3",
    )
    .bind(format!("deleted-{user_id}@invalid"))
    .bind(t)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    for table in [
        "sessions",
        "password_resets",
        "email_confirmations",
        "email_optouts",
        "organization_members",
        "agency_members",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Where and in which language to write to an active person (inside a transaction).
pub async fn contact(
    tx: &mut crate::db::Tx,
    user_id: i64,
) -> AppResult<Option<(String, crate::i18n::Locale)>> {
    let row = sqlx::query(
        "SELECT email, locale FROM users WHERE id = $1 AND active = 1 AND email_confirmed_at IS NOT NULL",
    )
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| {
        let locale =
            crate::i18n::Locale::from_tag(&r.get::<String, _>("locale")).unwrap_or_default();
        (r.get("email"), locale)
    }))
}

/// Where, in which language and with which unsubscribe token to email a
/// person a notification of `kind`.
pub struct MailContact {
    pub email: String,
    pub locale: crate::i18n::Locale,
    pub unsubscribe_token: String,
}

/// The contact for a notification mail of `kind` (inside a transaction): `None`
/// when the person is gone or does not want this kind by email. The person's
/// unsubscribe token is made on first use.
pub async fn mail_contact(
    tx: &mut crate::db::Tx,
    user_id: i64,
    kind: &str,
) -> AppResult<Option<MailContact>> {
    let row = sqlx::query(
        "SELECT email, locale, unsubscribe_token FROM users u WHERE id = $1 AND active = 1 \
         AND email_confirmed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM email_optouts o WHERE o.user_id = u.id AND o.kind = $2)",
    )
    .bind(user_id)
    .bind(kind)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let token = match row.get::<Option<String>, _>("unsubscribe_token") {
        Some(token) => token,
        // Two notices at once agree on one token: whichever was written first.
        None => sqlx::query(
            "UPDATE users SET unsubscribe_token = COALESCE(unsubscribe_token, $1) WHERE id = $2 \
             RETURNING unsubscribe_token",
        )
        .bind(super::secrets::new_token())
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?
        .get("unsubscribe_token"),
    };
    Ok(Some(MailContact {
        email: row.get("email"),
        locale: crate::i18n::Locale::from_tag(&row.get::<String, _>("locale")).unwrap_or_default(),
        unsubscribe_token: token,
    }))
}

/// Stops notification mail of `kind` for the person holding `token`; returns
/// whether the token was known.
pub async fn unsubscribe(db: &Db, token: &str, kind: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO email_optouts (user_id, kind, at) SELECT id, $2, $3 FROM users \
         WHERE unsubscribe_token = $1 ON CONFLICT (user_id, kind) DO NOTHING",
    )
    .bind(token)
    .bind(kind)
    .bind(now())
    .execute(db.writer())
    .await?;
    if done.rows_affected() == 1 {
        return Ok(true);
    }
    let known = sqlx::query("SELECT 1 AS one FROM users WHERE unsubscribe_token = $1")
        .bind(token)
        .fetch_optional(&db.pool)
        .await?;
    Ok(known.is_some())
}

/// The language the person's emails and notifications are written in.
pub async fn set_locale(db: &Db, user_id: i64, locale: crate::i18n::Locale) -> AppResult<()> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale.tag())
        .bind(user_id)
        .execute(db.writer())
        .await?;
    Ok(())
}

pub async fn set_password(db: &Db, user_id: i64, password_hash: &str) -> AppResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(db.writer())
        .await?;
    Ok(())
}

pub async fn set_role(db: &Db, user_id: i64, role: Role) -> AppResult<bool> {
    let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(user_id)
        .execute(db.writer())
        .await?;
    Ok(done.rows_affected() == 1)
}

// --- sessions -------------------------------------------------------------

pub async fn create_session(db: &Db, user_id: i64, token_hash: &str) -> AppResult<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(t)
    .bind(t + SESSION_SECONDS)
    .execute(db.writer())
    .await?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.writer())
        .await?;
    Ok(())
}

pub async fn delete_expired_sessions(db: &Db) -> AppResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now())
        .execute(db.writer())
        .await?;
    Ok(done.rows_affected())
}

/// Which of these sessions still stand, and whose they are with their role:
/// one query for up to 500 tokens (live streams re-check their viewers together).
pub async fn session_roles(
    db: &Db,
    token_hashes: &[String],
) -> AppResult<Vec<(String, i64, Role)>> {
    let mut found = Vec::new();
    for chunk in token_hashes.chunks(500) {
        let mut args = Vec::new();
        let now_param = crate::db::param(&mut args, crate::db::Arg::Int(now()));
        let list = chunk
            .iter()
            .map(|h| crate::db::param(&mut args, crate::db::Arg::Text(h.clone())))
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT s.token_hash, u.id, u.role FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash IN ({list}) AND s.expires_at > {now_param} AND u.active = 1"
        );
        for row in crate::db::bind_all(&sql, &args).fetch_all(&db.pool).await? {
            found.push((
                row.get("token_hash"),
                row.get("id"),
                Role::parse(&row.get::<String, _>("role")).unwrap_or(Role::Participant),
            ));
        }
    }
    Ok(found)
}

/// The person behind a session token, with their memberships, in one query.
pub async fn user_for_session(db: &Db, token_hash: &str) -> AppResult<Option<CurrentUser>> {
    // One query for every request of a signed-in person: the person's row
    // (with their unread notifications, which the menu shows) first, then one
    // row per membership, each branch found by its index.
    let rows = sqlx::query(&format!(
        "SELECT 'user' AS kind, u.id AS ref_id, u.display_name, u.role, {unread} AS unread \
           FROM sessions s JOIN users u ON u.id = s.user_id \
           WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1 \
         UNION ALL SELECT 'agency', m.agency_id, NULL, NULL, NULL \
           FROM sessions s JOIN agency_members m ON m.user_id = s.user_id \
           WHERE s.token_hash = $1 AND s.expires_at > $2 \
         UNION ALL SELECT 'organization', m.organization_id, NULL, NULL, NULL \
           FROM sessions s JOIN organization_members m ON m.user_id = s.user_id \
           WHERE s.token_hash = $1 AND s.expires_at > $2 \
         UNION ALL SELECT 'evaluator', m.process_id, NULL, NULL, NULL \
           FROM sessions s JOIN process_evaluators m ON m.user_id = s.user_id \
           WHERE s.token_hash = $1 AND s.expires_at > $2",
        unread = crate::notifications::store::unread_of_session()
    ))
    .bind(token_hash)
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let Some(row) = crate::db::rows_where(&rows, "kind", "user").next() else {
        return Ok(None);
    };
    let ids = |kind: &str| crate::db::ids_where(&rows, "kind", kind, "ref_id");
    Ok(Some(CurrentUser {
        id: row.get("ref_id"),
        display_name: row.get("display_name"),
        role: Role::parse(&row.get::<String, _>("role")).unwrap_or(Role::Participant),
        agency_ids: ids("agency"),
        organization_ids: ids("organization"),
        evaluator_of: ids("evaluator"),
        unread_notifications: row.get("unread"),
    }))
}

// --- login throttling -----------------------------------------------------

/// Counts one attempt under `key` in a window of `window` seconds and returns
/// how many the window now holds, this one included. One statement on both
/// engines, so parallel attempts are counted one after another.
pub async fn count_attempt(db: &Db, key: &str, window: i64) -> AppResult<i64> {
    let t = now();
    let row = sqlx::query(
        "INSERT INTO login_attempts (key, window_start, attempts) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           attempts = CASE WHEN login_attempts.window_start <= $3 THEN 1 ELSE login_attempts.attempts + 1 END, \
           window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2 ELSE login_attempts.window_start END \
         RETURNING attempts",
    )
    .bind(key)
    .bind(t)
    .bind(t - window)
    .fetch_one(&db.pool)
    .await?;
    Ok(row.get("attempts"))
}

/// Gives back the attempt of a sign-in that succeeded.
pub async fn forgive_attempt(db: &Db, keys: &[&str]) -> AppResult<()> {
    for key in keys {
        sqlx::query(
            "UPDATE login_attempts SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0",
        )
        .bind(*key)
        .execute(db.writer())
        .await?;
    }
    Ok(())
}

/// Forgets windows that ended before `before`.
pub async fn prune_attempts(db: &Db, before: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM login_attempts WHERE window_start < $1")
        .bind(before)
        .execute(db.writer())
        .await?;
    Ok(())
}

// --- password reset -------------------------------------------------------

pub async fn create_reset(db: &Db, user_id: i64, token_hash: &str) -> AppResult<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(t)
    .bind(t + RESET_SECONDS)
    .execute(db.writer())
    .await?;
    Ok(())
}

pub async fn last_reset_at(db: &Db, user_id: i64) -> AppResult<Option<i64>> {
    let row = sqlx::query("SELECT MAX(created_at) AS t FROM password_resets WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<Option<i64>, _>("t").ok().flatten())
}

pub enum ResetUse {
    Used(i64),
    Unknown,
    Expired,
    AlreadyUsed,
}

/// Whether a reset token can be used now (`Used` names its person), without
/// using it: the new password is hashed only after this says yes.
pub async fn reset_status(db: &Db, token_hash: &str) -> AppResult<ResetUse> {
    let row = sqlx::query(
        "SELECT user_id, used_at, expires_at FROM password_resets WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        None => ResetUse::Unknown,
        Some(r) if r.get::<Option<i64>, _>("used_at").is_some() => ResetUse::AlreadyUsed,
        Some(r) if r.get::<i64, _>("expires_at") <= now() => ResetUse::Expired,
        Some(r) => ResetUse::Used(r.get("user_id")),
    })
}

/// Marks a reset token used, once; tells why not otherwise.
pub async fn use_reset(db: &Db, token_hash: &str) -> AppResult<ResetUse> {
    let used = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1 RETURNING user_id",
    )
    .bind(now())
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    if let Some(r) = used {
        return Ok(ResetUse::Used(r.get("user_id")));
    }
    // Not used now: unknown, expired, or used by someone else first.
    Ok(match reset_status(db, token_hash).await? {
        ResetUse::Used(_) => ResetUse::AlreadyUsed,
        why => why,
    })
}

/// Signs the person out everywhere but in the session `keep`.
pub async fn delete_other_sessions(db: &Db, user_id: i64, keep: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(db.writer())
        .await?;
    Ok(())
}

/// The account's address is confirmed (a reset link sent to it was used).
pub async fn mark_confirmed(db: &Db, user_id: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL",
    )
    .bind(now())
    .bind(user_id)
    .execute(db.writer())
    .await?;
    Ok(())
}

pub async fn delete_user_sessions(db: &Db, user_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db.writer())
        .await?;
    Ok(())
}

// --- administration -------------------------------------------------------

pub async fn list_users(db: &Db, page: i64, query: &str) -> AppResult<Page<UserAdminRow>> {
    let (page, offset) = window(page);
    let pattern = format!("%{}%", query.trim().to_lowercase());
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM users WHERE LOWER(display_name) LIKE $1 OR email LIKE $1",
    )
    .bind(&pattern)
    .fetch_one(&db.pool)
    .await?
    .get("n");
    let rows = sqlx::query(
        "SELECT id, display_name, email, role FROM users \
         WHERE LOWER(display_name) LIKE $1 OR email LIKE $1 ORDER BY id LIMIT $2 OFFSET $3",
    )
    .bind(&pattern)
    .bind(PER_PAGE)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let memberships = memberships_of(db, &ids).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let id: i64 = r.get("id");
            let mine = |kind: &str| {
                memberships
                    .iter()
                    .filter(|m| m.0 == id && m.1 == kind)
                    .map(|m| (m.2, m.3.clone()))
                    .collect()
            };
            UserAdminRow {
                id,
                display_name: r.get("display_name"),
                email: r.get("email"),
                role: Role::parse(&r.get::<String, _>("role")).unwrap_or(Role::Participant),
                agencies: mine("agency"),
                organizations: mine("organization"),
            }
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// (user id, kind, id, name) of every agency and organization membership of `ids`, in one query.
/// The people who act for an agency (deleted accounts are no longer members).
pub async fn agency_member_ids(db: &Db, agency_id: i64) -> AppResult<Vec<i64>> {
    Ok(
        sqlx::query("SELECT user_id FROM agency_members WHERE agency_id = $1 ORDER BY user_id")
            .bind(agency_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| r.get("user_id"))
            .collect(),
    )
}

async fn memberships_of(db: &Db, ids: &[i64]) -> AppResult<Vec<(i64, String, i64, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::db::id_list(ids);
    let sql = format!(
        "SELECT m.user_id, 'agency' AS kind, a.id AS ref_id, a.name FROM agency_members m \
         JOIN agencies a ON a.id = m.agency_id WHERE m.user_id IN ({list}) \
         UNION ALL SELECT m.user_id, 'organization', o.id, o.name FROM organization_members m \
         JOIN organizations o ON o.id = m.organization_id WHERE m.user_id IN ({list}) \
         ORDER BY 4"
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get("user_id"),
                r.get("kind"),
                r.get("ref_id"),
                r.get("name"),
            )
        })
        .collect())
}

/// (id, name) of the organizations a person represents.
pub async fn organizations_of(db: &Db, user_id: i64) -> AppResult<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT o.id, o.name FROM organization_members m JOIN organizations o ON o.id = m.organization_id \
         WHERE m.user_id = $1 ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(|r| (r.get("id"), r.get("name"))).collect())
}

/// Every (person, organization) membership: one query, as many rows as
/// organizations have members (representatives, not the public at large).
pub async fn memberships(db: &Db) -> AppResult<Vec<(i64, i64)>> {
    Ok(sqlx::query(
        "SELECT user_id, organization_id FROM organization_members ORDER BY user_id, organization_id \
         LIMIT 100000",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get::<i64, _>("user_id"), r.get::<i64, _>("organization_id")))
    .collect())
}

pub async fn user_exists(db: &Db, user_id: i64) -> AppResult<bool> {
    Ok(sqlx::query("SELECT id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

fn organization(r: &Row) -> Organization {
    Organization {
        id: r.get("id"),
        name: r.get("name"),
        sector: Sector::parse(&r.get::<String, _>("sector")).unwrap_or(Sector::CivilSociety),
    }
}

pub async fn directory(db: &Db) -> AppResult<Directory> {
    let orgs = sqlx::query("SELECT id, name, sector FROM organizations ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    let agencies = sqlx::query("SELECT id, name, description FROM agencies ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    Ok(Directory {
        organizations: orgs.iter().map(organization).collect(),
        agencies: agencies
            .iter()
            .map(|r| Agency {
                id: r.get("id"),
                name: r.get("name"),
                description: r.get("description"),
            })
            .collect(),
    })
}

/// (members table, its group column, groups table, the group's second column).
fn tables(kind: GroupKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        GroupKind::Agency => ("agency_members", "agency_id", "agencies", "description"),
        GroupKind::Organization => (
            "organization_members",
            "organization_id",
            "organizations",
            "sector",
        ),
    }
}

/// Inserts (`id` None) or updates an organization or agency. `detail` is an
/// organization's sector or an agency's description. `None` when the name belongs
/// to another group of that kind, or the group to update does not exist.
pub async fn save_group(
    db: &Db,
    kind: GroupKind,
    id: Option<i64>,
    name: &str,
    detail: &str,
) -> AppResult<Option<i64>> {
    let (_, _, groups, detail_column) = tables(kind);
    let clash = sqlx::query(&format!("SELECT id FROM {groups} WHERE name = $1"))
        .bind(name)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.get::<i64, _>("id"));
    if clash.is_some() && clash != id {
        return Ok(None);
    }
    let row = match id {
        Some(id) => {
            sqlx::query(&format!(
                "UPDATE {groups} SET name = $1, {detail_column} = $2 WHERE id = $3 RETURNING id"
            ))
            .bind(name)
            .bind(detail)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "INSERT INTO {groups} (name, {detail_column}, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING RETURNING id"
            ))
            .bind(name)
            .bind(detail)
            .bind(now())
            .fetch_optional(&db.pool)
            .await?
        }
    };
    Ok(row.map(|r| r.get("id")))
}

/// A new organization inside the caller's transaction; `None` when the name
/// is taken.
pub async fn create_organization(
    tx: &mut crate::db::Tx,
    name: &str,
    sector: Sector,
) -> AppResult<Option<i64>> {
    Ok(sqlx::query(
        "INSERT INTO organizations (name, sector, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(sector.as_str())
    .bind(now())
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.get("id")))
}

/// Renames an organization and sets its sector, inside the caller's
/// transaction; `false` when another organization has the name.
pub async fn rename_organization(
    tx: &mut crate::db::Tx,
    id: i64,
    name: &str,
    sector: Sector,
) -> AppResult<bool> {
    let clash = sqlx::query("SELECT id FROM organizations WHERE name = $1 AND id <> $2")
        .bind(name)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if clash {
        return Ok(false);
    }
    sqlx::query("UPDATE organizations SET name = $1, sector = $2 WHERE id = $3")
        .bind(name)
        .bind(sector.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// An organization's name, inside the caller's transaction.
pub async fn organization_name(tx: &mut crate::db::Tx, id: i64) -> AppResult<Option<String>> {
    Ok(sqlx::query("SELECT name FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.get("name")))
}

/// Organizations by id: their name and sector (one query, however many).
pub async fn organizations_by_id(
    db: &Db,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, Organization>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "SELECT id, name, sector FROM organizations WHERE id IN ({})",
        crate::db::id_list(ids)
    );
    Ok(sqlx::query(&sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get::<i64, _>("id"), organization(r)))
        .collect())
}

/// The organizations any of `user_ids` represents (each once).
pub async fn organizations_of_people(db: &Db, user_ids: &[i64]) -> AppResult<Vec<i64>> {
    if user_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT DISTINCT organization_id FROM organization_members WHERE user_id IN ({})",
        crate::db::id_list(user_ids)
    );
    Ok(sqlx::query(&sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.get("organization_id"))
        .collect())
}

/// (organization, person) for every representative of `organization_ids`,
/// inside the caller's transaction.
pub async fn members_of(
    tx: &mut crate::db::Tx,
    organization_ids: &[i64],
) -> AppResult<Vec<(i64, i64)>> {
    if organization_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT organization_id, user_id FROM organization_members \
         WHERE organization_id IN ({}) ORDER BY organization_id, user_id",
        crate::db::id_list(organization_ids)
    );
    Ok(sqlx::query(&sql)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| (r.get("organization_id"), r.get("user_id")))
        .collect())
}

/// Makes a person a representative of an organization, inside the caller's
/// transaction.
pub async fn join_organization(
    tx: &mut crate::db::Tx,
    user_id: i64,
    organization_id: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO organization_members (user_id, organization_id) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(organization_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a membership; false when the agency or organization does not exist.
pub async fn add_member(db: &Db, kind: GroupKind, user_id: i64, group_id: i64) -> AppResult<bool> {
    let (table, column, groups, _) = tables(kind);
    let exists = sqlx::query(&format!("SELECT id FROM {groups} WHERE id = $1"))
        .bind(group_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some();
    if !exists {
        return Ok(false);
    }
    sqlx::query(&format!(
        "INSERT INTO {table} (user_id, {column}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    ))
    .bind(user_id)
    .bind(group_id)
    .execute(db.writer())
    .await?;
    Ok(true)
}

pub async fn remove_member(db: &Db, kind: GroupKind, user_id: i64, group_id: i64) -> AppResult<()> {
    let (table, column, _, _) = tables(kind);
    sqlx::query(&format!(
        "DELETE FROM {table} WHERE user_id = $1 AND {column} = $2"
    ))
    .bind(user_id)
    .bind(group_id)
    .execute(db.writer())
    .await?;
    Ok(())
}

/// Records an action in the audit log, inside the caller's transaction or not.
pub async fn audit_with<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(now())
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn audit(
    db: &Db,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> AppResult<()> {
    audit_with(&db.pool, actor_id, action, subject, detail).await
}
