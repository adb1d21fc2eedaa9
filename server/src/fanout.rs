//! Several instances on one PostgreSQL database: each announces the roundtables
//! whose boards it changed with `NOTIFY`, and listens for the others'
//! announcements to wake its own live streams. A real signal, not a timer: an
//! idle stream costs the database nothing. Should the listening connection drop,
//! every stream is woken once it is back (announcements may have been missed;
//! the events table has them all). Any write is announced on a second channel,
//! so that no instance shows a visitor a page it kept from before the write.
use app::ctx::{AppState, BoardChanges};
use sqlx::postgres::PgListener;
use std::time::Duration;

const CHANNEL: &str = "cocrea_boards";
const PAGES_CHANNEL: &str = "cocrea_pages";

/// Roundtable ids per announcement: well under PostgreSQL's 8,000-byte payload.
const IDS_PER_NOTICE: usize = 300;

/// Listens before returning, so that no announcement made once the server
/// serves is missed; then announces and listens in two tasks.
pub async fn start(state: AppState) -> anyhow::Result<()> {
    let instance = instance_id();
    let mut listener = PgListener::connect(&state.db.url).await?;
    listener.listen_all([CHANNEL, PAGES_CHANNEL]).await?;
    let changes = state.board_changes.clone();
    let pages = state.page_changes.clone();
    let db = state.db.clone();
    let me = instance.clone();
    tokio::spawn(async move {
        loop {
            match listener.try_recv().await {
                Ok(Some(notice)) if notice.channel() == PAGES_CHANNEL => {
                    // Another instance wrote: its pages and list totals here are stale.
                    if notice.payload() != me {
                        pages.arrived();
                        db.touch_counts();
                    }
                }
                Ok(Some(notice)) => {
                    for id in from_others(&me, notice.payload()) {
                        changes.arrived(id);
                    }
                }
                // The connection dropped and is back: wake everyone to re-read,
                // and forget the kept pages.
                Ok(None) => {
                    changes.arrived(BoardChanges::EVERY_BOARD);
                    pages.arrived();
                    db.touch_counts();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "board announcements: listening failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
    tokio::spawn(announce_pages(state.clone(), instance.clone()));
    tokio::spawn(async move {
        let changes = state.board_changes.clone();
        loop {
            changes.outgoing_ready.notified().await;
            let ids = changes.take_outgoing();
            for chunk in ids.chunks(IDS_PER_NOTICE) {
                if !notify(&state, CHANNEL, &payload(&instance, chunk)).await {
                    changes.put_back(chunk);
                    changes.outgoing_ready.notify_one();
                }
            }
        }
    });
    Ok(())
}

/// Announces that this instance wrote something (a burst of writes while an
/// announcement is sent makes one more).
async fn announce_pages(state: AppState, instance: String) {
    let pages = state.page_changes.clone();
    loop {
        pages.outgoing_ready.notified().await;
        if !notify(&state, PAGES_CHANNEL, &instance).await {
            pages.outgoing_ready.notify_one();
        }
    }
}

/// Sends one announcement; on failure waits a second so that the caller's
/// retry does not spin while the database is away.
async fn notify(state: &AppState, channel: &str, payload: &str) -> bool {
    let sent = sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(state.db.writer())
        .await;
    match sent {
        Ok(_) => true,
        Err(e) => {
            tracing::warn!(error = %e, channel, "announcement not sent, trying again");
            tokio::time::sleep(Duration::from_secs(1)).await;
            false
        }
    }
}

/// Tells this instance's own announcements from the others'.
fn instance_id() -> String {
    static STARTED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{:x}-{nanos:x}-{n}", std::process::id())
}

fn payload(instance: &str, ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("{instance}:{}", ids.join(","))
}

/// The roundtable ids of another instance's announcement (none of our own).
fn from_others(me: &str, payload: &str) -> Vec<i64> {
    match payload.split_once(':') {
        Some((from, ids)) if from != me => {
            ids.split(',').filter_map(|id| id.parse().ok()).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_round_trip_and_own_ones_are_skipped() {
        let text = payload("a-1", &[3, 17]);
        assert_eq!(from_others("b-2", &text), vec![3, 17]);
        assert!(from_others("a-1", &text).is_empty());
        assert!(from_others("b-2", "garbage").is_empty());
        assert!(payload("x", &vec![i64::MAX; IDS_PER_NOTICE]).len() < 8000);
    }
}
