//! (ssr) What a server function or a server-rendered page knows about its request:
//! shared state, the signed-in person, the client address, the locale. The server's
//! middleware puts a `RequestInfo` in the request extensions; these read it back.
use crate::accounts::model::CurrentUser;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use leptos::prelude::*;
use std::sync::Arc;

/// Settings that server functions need.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Public address of the site, for links in emails (no trailing slash).
    pub base_url: String,
    /// Mark cookies `Secure` (when served over https).
    pub secure_cookies: bool,
    /// Offset of the process's local time from UTC, for "which stage is open today".
    pub utc_offset_minutes: i32,
    /// Where uploaded files (monitoring evidence) are kept.
    pub files_dir: std::path::PathBuf,
}

/// Shared application state handed to every request.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Wakes the mail job when a message is queued.
    pub outbox_wakeup: Arc<tokio::sync::Notify>,
    /// Carries the id of a roundtable whose boards changed, to its live streams.
    /// A stream that lags behind only re-reads the events table: nothing is lost.
    pub board_changes: tokio::sync::broadcast::Sender<i64>,
}

impl AppState {
    /// Wakes the mail job after a transaction that queued mail has committed.
    pub fn mail_queued(&self) {
        self.outbox_wakeup.notify_one();
    }
}

/// Per-request facts resolved by the server's middleware.
#[derive(Clone, Debug)]
pub struct RequestInfo {
    pub user: Option<CurrentUser>,
    pub session_hash: Option<String>,
    pub ip: String,
    pub locale: Locale,
    pub nonce: String,
}

pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

pub fn request_info() -> Option<RequestInfo> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestInfo>().cloned())
}

pub fn user() -> Option<CurrentUser> {
    request_info().and_then(|r| r.user)
}

pub fn client_ip() -> String {
    request_info()
        .map(|r| r.ip)
        .unwrap_or_else(|| "unknown".into())
}

pub fn append_header(name: http::HeaderName, value: &str) {
    if let (Some(opts), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        opts.append_header(name, value);
    }
}

/// Today's date (`YYYY-MM-DD`) in the process's local time.
pub fn today(settings: &Settings) -> String {
    let offset = time::UtcOffset::from_whole_seconds(settings.utc_offset_minutes * 60)
        .unwrap_or(time::UtcOffset::UTC);
    iso_date(time::OffsetDateTime::now_utc().to_offset(offset).date())
}

/// The local date (`YYYY-MM-DD`) of an epoch-seconds timestamp.
pub fn local_date(epoch: i64, utc_offset_minutes: i32) -> String {
    let offset = time::UtcOffset::from_whole_seconds(utc_offset_minutes * 60)
        .unwrap_or(time::UtcOffset::UTC);
    let at = time::OffsetDateTime::from_unix_timestamp(epoch)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    iso_date(at.to_offset(offset).date())
}

/// UTC seconds of a local date (`YYYY-MM-DD`) and time at `offset_minutes`.
pub fn local_epoch(date: &str, at: time::Time, offset_minutes: i32) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let day = time::Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()?;
    let offset = time::UtcOffset::from_whole_seconds(offset_minutes * 60).ok()?;
    Some(
        time::PrimitiveDateTime::new(day, at)
            .assume_offset(offset)
            .unix_timestamp(),
    )
}

/// A date as stored: `YYYY-MM-DD`.
pub fn iso_date(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
