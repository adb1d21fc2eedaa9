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
    /// Roundtables whose boards changed, for the live streams.
    pub board_changes: Arc<BoardChanges>,
    /// Moves with every write, for the pages kept for visitors.
    pub page_changes: Arc<PageChanges>,
}

/// What the pages a visitor who is not signed in sees may have changed by: a
/// counter that every write through this instance moves, and that the others'
/// writes move too when several instances share PostgreSQL (the server's
/// fan-out announces a move with NOTIFY). A page kept at one count is not
/// shown once the count has moved.
pub struct PageChanges {
    count: std::sync::atomic::AtomicU64,
    /// A move here not yet announced to the other instances (one permit holds
    /// a burst of moves: they make one announcement).
    pub outgoing_ready: tokio::sync::Notify,
    fans_out: bool,
}

impl PageChanges {
    pub fn new(fans_out: bool) -> PageChanges {
        PageChanges {
            count: Default::default(),
            outgoing_ready: tokio::sync::Notify::new(),
            fans_out,
        }
    }

    pub fn count(&self) -> u64 {
        self.count.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Something public may have changed through this instance.
    pub fn changed(&self) {
        self.arrived();
        if self.fans_out {
            self.outgoing_ready.notify_one();
        }
    }

    /// Another instance announced a change (or announcements may have been
    /// missed).
    pub fn arrived(&self) {
        self.count.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Where a board change goes: at once to this instance's live streams, and,
/// when several instances share a PostgreSQL database, to the others (the
/// server's fan-out announces `outgoing` with NOTIFY). A wake-up carries only a
/// roundtable id: a stream that lags behind, or is woken twice, re-reads the
/// events table, so nothing is lost and nothing is sent twice.
pub struct BoardChanges {
    local: tokio::sync::broadcast::Sender<i64>,
    /// Roundtables changed here and not yet announced to the other instances:
    /// a set, so a burst of changes makes one announcement each.
    outgoing: std::sync::Mutex<std::collections::BTreeSet<i64>>,
    pub outgoing_ready: tokio::sync::Notify,
    fans_out: bool,
}

impl BoardChanges {
    /// Wakes every stream, whatever its roundtable (after the fan-out lost its
    /// connection, when announcements may have been missed).
    pub const EVERY_BOARD: i64 = 0;

    pub fn new(fans_out: bool) -> BoardChanges {
        BoardChanges {
            local: tokio::sync::broadcast::channel(1024).0,
            outgoing: Default::default(),
            outgoing_ready: tokio::sync::Notify::new(),
            fans_out,
        }
    }

    /// A change made by this instance.
    pub fn changed(&self, roundtable_id: i64) {
        let _ = self.local.send(roundtable_id);
        if self.fans_out {
            self.outgoing
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(roundtable_id);
            self.outgoing_ready.notify_one();
        }
    }

    /// A change another instance announced: for this instance's streams only.
    pub fn arrived(&self, roundtable_id: i64) {
        let _ = self.local.send(roundtable_id);
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<i64> {
        self.local.subscribe()
    }

    /// What is still to be announced (and is no longer pending).
    pub fn take_outgoing(&self) -> Vec<i64> {
        std::mem::take(&mut *self.outgoing.lock().unwrap_or_else(|e| e.into_inner()))
            .into_iter()
            .collect()
    }

    /// Puts back what could not be announced, to try again.
    pub fn put_back(&self, ids: &[i64]) {
        self.outgoing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(ids);
    }
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
