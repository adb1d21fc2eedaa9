//! Server-sent events of a roundtable's boards. A browser connects with the last
//! event number it has (`Last-Event-ID`, as `EventSource` sends on reconnect, or
//! `?after=`); without one it first gets a snapshot. Then it gets every later
//! event, in order, read from the events table: a stream that falls behind, or
//! that was woken late, reads what it missed, so nothing is dropped. Streams
//! woken by the same change share one read of the events table (`SharedReads`).
use app::boards::{
    model::{Snapshot, Viewer},
    store::{self, EventRow},
};
use app::ctx::{AppState, BoardChanges, RequestInfo};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::OnceCell;

/// The latest read of each roundtable's new events, shared by its streams. A
/// change wakes every stream of the roundtable; those that had all seen the same
/// event share one read of what follows it (each then filtered for its own
/// viewer), instead of one query per stream. A stream that is behind reads alone.
#[derive(Default)]
pub struct SharedReads(Mutex<HashMap<i64, (i64, Arc<OnceCell<Rows>>)>>);

/// Events as read, shared by the streams that read them together.
type Rows = Arc<Vec<EventRow>>;

enum Read {
    Shared(Arc<OnceCell<Rows>>),
    Alone,
}

impl SharedReads {
    async fn rows(
        &self,
        db: &app::db::Db,
        roundtable_id: i64,
        after: i64,
    ) -> Result<Rows, app::error::AppError> {
        let read = {
            let mut reads = self.0.lock().unwrap_or_else(|e| e.into_inner());
            match reads.get(&roundtable_id) {
                Some((latest, cell)) if *latest == after => Read::Shared(cell.clone()),
                Some((latest, _)) if *latest > after => Read::Alone,
                _ => {
                    let cell = Arc::new(OnceCell::new());
                    reads.insert(roundtable_id, (after, cell.clone()));
                    Read::Shared(cell)
                }
            }
        };
        let cell = match read {
            Read::Alone => return Ok(Arc::new(store::event_rows(db, roundtable_id, after).await?)),
            Read::Shared(cell) => cell,
        };
        let mine = std::sync::atomic::AtomicBool::new(false);
        let rows = cell
            .get_or_try_init(|| async {
                mine.store(true, std::sync::atomic::Ordering::Relaxed);
                Ok::<_, app::error::AppError>(Arc::new(
                    store::event_rows(db, roundtable_id, after).await?,
                ))
            })
            .await?
            .clone();
        if !rows.is_empty() {
            return Ok(rows); // a prefix of what follows `after`, whenever read
        }
        // "Nothing new" is true only when read: forget it, and if another stream
        // read it (perhaps before the change that woke this one), read again.
        {
            let mut reads = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if reads
                .get(&roundtable_id)
                .is_some_and(|(_, c)| Arc::ptr_eq(c, &cell))
            {
                reads.remove(&roundtable_id);
            }
        }
        if mine.into_inner() {
            Ok(rows)
        } else {
            Ok(Arc::new(store::event_rows(db, roundtable_id, after).await?))
        }
    }
}

/// Open streams, counted per client address and in all, with their caps. A
/// stream holds a `Slot` while it is open; dropping it (the connection closed)
/// gives the place back.
pub struct Slots {
    /// Streams open per address, and in all.
    open: Mutex<(HashMap<String, usize>, usize)>,
    per_address: usize,
    total: usize,
}

pub struct Slot {
    slots: Arc<Slots>,
    address: String,
}

impl Slots {
    fn new(per_address: usize, total: usize) -> Arc<Slots> {
        Arc::new(Slots {
            open: Mutex::new((HashMap::new(), 0)),
            per_address,
            total,
        })
    }

    /// A place for one more stream from `address`, if there is one.
    fn take(self: &Arc<Self>, address: &str) -> Option<Slot> {
        let mut guard = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let (by_address, all) = &mut *guard;
        let mine = by_address.entry(address.to_string()).or_default();
        if *all >= self.total || *mine >= self.per_address {
            if *mine == 0 {
                by_address.remove(address);
            }
            return None;
        }
        *mine += 1;
        *all += 1;
        Some(Slot {
            slots: self.clone(),
            address: address.to_string(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut guard = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        let (by_address, all) = &mut *guard;
        if let Some(n) = by_address.get_mut(&self.address) {
            *n -= 1;
            *all -= 1;
            if *n == 0 {
                by_address.remove(&self.address);
            }
        }
    }
}

/// How often the sessions behind open streams are checked: a stream whose
/// session ended, or whose person's role changed, ends within this, and the
/// page reconnects as whoever it now is.
const RECHECK: Duration = Duration::from_secs(5);

/// The sessions of signed-in people with a stream open, and who each session
/// is now. One job re-reads them all every `RECHECK` in one query (none when no
/// such stream is open); a stream never asks the database about its viewer.
pub struct Sessions {
    /// Streams open per session (its token's hash).
    open: Mutex<HashMap<String, usize>>,
    /// For each session last checked: its viewer now, or `None` once it ended.
    now: tokio::sync::watch::Sender<Arc<HashMap<String, Option<Viewer>>>>,
}

/// A stream's hold on the watch of its session.
struct Watched {
    sessions: Arc<Sessions>,
    hash: String,
    now: tokio::sync::watch::Receiver<Arc<HashMap<String, Option<Viewer>>>>,
}

impl Sessions {
    fn start(db: app::db::Db) -> Arc<Sessions> {
        let sessions = Arc::new(Sessions {
            open: Mutex::new(HashMap::new()),
            now: tokio::sync::watch::channel(Arc::new(HashMap::new())).0,
        });
        let weak = Arc::downgrade(&sessions);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(RECHECK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(sessions) = weak.upgrade() else {
                    return;
                };
                sessions.recheck(&db).await;
            }
        });
        sessions
    }

    async fn recheck(&self, db: &app::db::Db) {
        let hashes: Vec<String> = {
            let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
            open.keys().cloned().collect()
        };
        if hashes.is_empty() {
            return;
        }
        let found = match app::accounts::store::session_roles(db, &hashes).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "live streams: sessions not checked");
                return;
            }
        };
        let mut now: HashMap<String, Option<Viewer>> =
            hashes.into_iter().map(|h| (h, None)).collect();
        for (hash, id, role) in found {
            now.insert(hash, Some(app::boards::api::signed_in_viewer(id, role)));
        }
        self.now.send_if_modified(|old| {
            let changed = **old != now;
            if changed {
                *old = Arc::new(now);
            }
            changed
        });
    }

    fn watch(self: &Arc<Self>, hash: String) -> Watched {
        *self
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(hash.clone())
            .or_default() += 1;
        Watched {
            sessions: self.clone(),
            hash,
            now: self.now.subscribe(),
        }
    }
}

impl Watched {
    /// Whether the session still stands with the view `viewer` it opened with
    /// (a session not yet checked stands: it was checked when the stream opened).
    fn stands(&self, viewer: Viewer) -> bool {
        match self.now.borrow().get(&self.hash) {
            Some(now) => *now == Some(viewer),
            None => true,
        }
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let mut open = self.sessions.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.hash) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.hash);
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub struct After {
    after: Option<i64>,
}

struct Live {
    state: AppState,
    shared: Arc<SharedReads>,
    changes: tokio::sync::broadcast::Receiver<i64>,
    roundtable_id: i64,
    viewer: Viewer,
    last: Option<i64>,
    queue: VecDeque<Event>,
    /// The session behind the stream of a signed-in person.
    session: Option<Watched>,
    _slot: Slot,
}

fn snapshot_event(s: &Snapshot) -> Event {
    Event::default()
        .event("snapshot")
        .id(s.seq.to_string())
        .data(serde_json::to_string(s).unwrap_or_default())
}

impl Live {
    /// The next events to send, waiting for a change when there is none.
    async fn fill(&mut self) -> Result<(), app::error::AppError> {
        loop {
            if !self.viewer_stands() {
                return Err(app::error::AppError::Unauthenticated);
            }
            let Some(last) = self.last else {
                let s = store::snapshot(&self.state.db, self.roundtable_id, self.viewer)
                    .await?
                    .ok_or(app::error::AppError::NotFound)?;
                self.last = Some(s.seq);
                self.queue.push_back(snapshot_event(&s));
                return Ok(());
            };
            let rows = self
                .shared
                .rows(&self.state.db, self.roundtable_id, last)
                .await?;
            let (events, scanned) = store::visible(&rows, last, self.viewer);
            self.last = Some(scanned);
            for (seq, data) in events {
                self.queue.push_back(
                    Event::default()
                        .event("change")
                        .id(seq.to_string())
                        .data(&*data),
                );
            }
            if !self.queue.is_empty() {
                return Ok(());
            }
            if scanned > last {
                continue; // only events for others: read on
            }
            // Wait for a change of this roundtable (made here or announced by
            // another instance), or for news of the viewer's session.
            let roundtable_id = self.roundtable_id;
            let (board, session) = (&mut self.changes, &mut self.session);
            let changes = async {
                loop {
                    match board.recv().await {
                        Ok(id) if id == roundtable_id || id == BoardChanges::EVERY_BOARD => break,
                        Ok(_) => continue,
                        // Lagged: some wake-ups were lost, the table has them all.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                            std::future::pending::<()>().await
                        }
                    }
                }
            };
            let session = async {
                match session {
                    Some(w) => {
                        if w.now.changed().await.is_err() {
                            std::future::pending::<()>().await
                        }
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = changes => {}
                _ = session => {}
            }
        }
    }

    /// Whether the person behind the stream is still who it was when it opened:
    /// a session that ended, or a role that changed, must not go on receiving
    /// what the new viewer may not see.
    fn viewer_stands(&self) -> bool {
        self.session.as_ref().is_none_or(|w| w.stands(self.viewer))
    }
}

/// What the live streams of a server share: reads, places, sessions.
pub struct Streams {
    reads: Arc<SharedReads>,
    slots: Arc<Slots>,
    sessions: Arc<Sessions>,
}

impl Streams {
    pub fn start(db: app::db::Db, per_address: usize, total: usize) -> Arc<Streams> {
        Arc::new(Streams {
            reads: Arc::new(SharedReads::default()),
            slots: Slots::new(per_address, total),
            sessions: Sessions::start(db),
        })
    }
}

pub async fn board_stream(
    state: AppState,
    streams: Arc<Streams>,
    Path(roundtable_id): Path<i64>,
    Query(q): Query<After>,
    headers: HeaderMap,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let info = info.map(|i| i.0);
    let address = info.as_ref().map_or("unknown", |i| i.ip.as_str());
    let Some(slot) = streams.slots.take(address) else {
        let locale = info.as_ref().map(|i| i.locale).unwrap_or_default();
        tracing::warn!(%address, "live stream refused: too many open");
        let mut res =
            crate::security::plain_error(StatusCode::TOO_MANY_REQUESTS, locale, "live.too_many");
        res.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("30"),
        );
        return res;
    };
    match app::roundtables::store::facts(&state.db, roundtable_id).await {
        Ok(Some(_)) => {}
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .or(q.after);
    let viewer = app::boards::api::viewer_of(info.as_ref().and_then(|i| i.user.as_ref()));
    let live = Live {
        shared: streams.reads.clone(),
        changes: state.board_changes.subscribe(),
        state,
        roundtable_id,
        viewer,
        last,
        queue: VecDeque::new(),
        session: info
            .filter(|i| i.user.is_some())
            .and_then(|i| i.session_hash)
            .map(|hash| streams.sessions.watch(hash)),
        _slot: slot,
    };
    let stream = futures_util::stream::unfold(live, |mut live| async move {
        if live.queue.is_empty() {
            if let Err(e) = live.fill().await {
                tracing::warn!(error = %e, "board stream ended");
                return None;
            }
        }
        let event = live.queue.pop_front()?;
        Some((Ok::<_, Infallible>(event), live))
    });
    // A named event, unlike a comment, reaches the page: its watchdog reopens a
    // stream that stayed silent too long (a phone's connection that died quietly).
    Sse::new(stream)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .event(Event::default().event("ping")),
        )
        .into_response()
}
