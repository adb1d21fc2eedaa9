//! Server-sent events of a roundtable's boards. A browser connects with the last
//! event number it has (`Last-Event-ID`, as `EventSource` sends on reconnect, or
//! `?after=`); without one it first gets a snapshot. Then it gets every later
//! event, in order, read from the events table: a stream that falls behind, or
//! that was woken late, reads what it missed, so nothing is dropped.
use app::boards::{
    model::{Snapshot, Viewer},
    store,
};
use app::ctx::{AppState, RequestInfo};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

#[derive(serde::Deserialize)]
pub struct After {
    after: Option<i64>,
}

struct Live {
    state: AppState,
    changes: tokio::sync::broadcast::Receiver<i64>,
    roundtable_id: i64,
    viewer: Viewer,
    last: Option<i64>,
    queue: VecDeque<Event>,
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
            let Some(last) = self.last else {
                let s = store::snapshot(&self.state.db, self.roundtable_id, self.viewer)
                    .await?
                    .ok_or(app::error::AppError::NotFound)?;
                self.last = Some(s.seq);
                self.queue.push_back(snapshot_event(&s));
                return Ok(());
            };
            let (events, scanned) =
                store::events_after(&self.state.db, self.roundtable_id, last, self.viewer).await?;
            self.last = Some(scanned);
            for e in events {
                self.queue.push_back(
                    Event::default()
                        .event("change")
                        .id(e.seq.to_string())
                        .data(serde_json::to_string(&e).unwrap_or_default()),
                );
            }
            if !self.queue.is_empty() {
                return Ok(());
            }
            if scanned > last {
                continue; // only events for others: read on
            }
            // Wait for a change of this roundtable; every 2 s look anyway (another
            // instance may have written it).
            let wait = async {
                loop {
                    match self.changes.recv().await {
                        Ok(id) if id == self.roundtable_id => break,
                        Ok(_) => continue,
                        // Lagged: some wake-ups were lost, the table has them all.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                            tokio::time::sleep(Duration::from_secs(2)).await;
                            break;
                        }
                    }
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(2), wait).await;
        }
    }
}

pub async fn board_stream(
    state: AppState,
    Path(roundtable_id): Path<i64>,
    Query(q): Query<After>,
    headers: HeaderMap,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
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
    let live = Live {
        changes: state.board_changes.subscribe(),
        state,
        roundtable_id,
        viewer: app::boards::api::viewer_of(info.and_then(|i| i.0.user).as_ref()),
        last,
        queue: VecDeque::new(),
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
