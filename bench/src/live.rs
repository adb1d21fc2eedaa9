//! What each participant's browser does with the live stream: it reads the
//! server-sent events, and (like the boards page) fetches the board and the
//! vote again after a change. Everything is timestamped on arrival.
use crate::client::Person;
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// A `change` event as one stream received it.
pub struct Arrival {
    pub seq: i64,
    pub at: Instant,
    /// The body of a note event: the bench writes a unique token in each.
    pub body: Option<String>,
}

#[derive(Default)]
pub struct StreamLog {
    pub arrivals: Vec<Arrival>,
    pub error: Option<String>,
}

pub struct Stream {
    /// The `seq` of the snapshot the stream started with.
    pub start_seq: i64,
    pub log: Arc<Mutex<StreamLog>>,
    /// Highest seq received so far.
    pub seen: Arc<AtomicI64>,
    task: JoinHandle<()>,
}

impl Stream {
    /// Connects and waits for the snapshot, so the stream is live when this returns.
    /// Each change then wakes `changed` (the refetcher), if any.
    pub async fn open(
        p: &Person,
        roundtable_id: i64,
        changed: Option<Arc<Notify>>,
    ) -> Result<Stream> {
        let mut res = p
            .http
            .get(format!("{}/roundtables/{roundtable_id}/live", p.base))
            .header("accept", "text/event-stream")
            .send()
            .await?;
        if !res.status().is_success() {
            bail!("live stream: {}", res.status());
        }
        let mut buf = Vec::new();
        let start_seq = loop {
            if let Some(block) = next_block(&mut buf) {
                let (event, id, _) = parse_block(&block);
                if event == "snapshot" {
                    break id;
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(60), res.chunk())
                .await
                .context("no snapshot within 60 s")??
                .context("stream ended before the snapshot")?;
            buf.extend_from_slice(&chunk);
        };
        let log = Arc::new(Mutex::new(StreamLog::default()));
        let seen = Arc::new(AtomicI64::new(start_seq));
        let task = tokio::spawn(read(res, buf, log.clone(), seen.clone(), changed));
        Ok(Stream {
            start_seq,
            log,
            seen,
            task,
        })
    }

    pub fn close(&self) {
        self.task.abort();
    }
}

async fn read(
    mut res: reqwest::Response,
    mut buf: Vec<u8>,
    log: Arc<Mutex<StreamLog>>,
    seen: Arc<AtomicI64>,
    changed: Option<Arc<Notify>>,
) {
    loop {
        // One arrival time per chunk, taken before parsing it.
        let at = Instant::now();
        while let Some(block) = next_block(&mut buf) {
            let (event, seq, data) = parse_block(&block);
            if event != "change" {
                continue;
            }
            let data: Value = serde_json::from_str(&data).unwrap_or_default();
            let body = data["event"]["note"]["body"].as_str().map(str::to_string);
            log.lock().unwrap().arrivals.push(Arrival { seq, at, body });
            seen.fetch_max(seq, Ordering::Relaxed);
            if let Some(n) = &changed {
                n.notify_one();
            }
        }
        match res.chunk().await {
            Ok(Some(chunk)) => buf.extend_from_slice(&chunk),
            Ok(None) => {
                log.lock().unwrap().error = Some("stream closed by the server".into());
                return;
            }
            Err(e) => {
                log.lock().unwrap().error = Some(format!("stream error: {e}"));
                return;
            }
        }
    }
}

/// Takes one complete event (up to a blank line) off the buffer. Bytes, not
/// text, so a character split across chunks is not mangled.
fn next_block(buf: &mut Vec<u8>) -> Option<String> {
    let end = buf.windows(2).position(|w| w == b"\n\n")?;
    let block: Vec<u8> = buf.drain(..end + 2).collect();
    Some(String::from_utf8_lossy(&block).into_owned())
}

/// (event name, id, data) of one block; keep-alive comments give an empty name.
fn parse_block(block: &str) -> (String, i64, String) {
    let (mut event, mut id, mut data) = (String::new(), 0, String::new());
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("event:") {
            event = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("id:") {
            id = v.trim().parse().unwrap_or(0);
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push_str(v.strip_prefix(' ').unwrap_or(v));
        }
    }
    (event, id, data)
}

/// The snapshot's `seq` without parsing the whole board: the bench shares the
/// machine with the server, so it should not spend its CPU on JSON it ignores.
/// The first `"seq":` is the snapshot's (notes have no such field).
fn top_seq(body: &[u8]) -> Option<i64> {
    let at = body.windows(6).position(|w| w == b"\"seq\":")? + 6;
    let digits: Vec<u8> = body[at..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// One refetch of the board and the vote after a change.
pub struct View {
    pub done: Instant,
    /// The board snapshot's seq: every event up to it is on screen at `done`.
    pub seq: i64,
    pub took: Duration,
    pub ok: bool,
}

/// The boards page's reaction to changes: fetch `board` then `vote` again.
/// Changes that come during a fetch are folded into one more fetch (kinder than
/// a browser, whose resource may start one per change).
pub struct Refetcher {
    pub changed: Arc<Notify>,
    pub log: Arc<Mutex<Vec<View>>>,
    pub seen: Arc<AtomicI64>,
    task: JoinHandle<()>,
}

impl Refetcher {
    pub fn spawn(p: Person, roundtable_id: i64) -> Refetcher {
        let changed = Arc::new(Notify::new());
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::new(AtomicI64::new(0));
        let (n, l, s) = (changed.clone(), log.clone(), seen.clone());
        let task = tokio::spawn(async move {
            let id = roundtable_id.to_string();
            loop {
                n.notified().await;
                let started = Instant::now();
                let board = p.call_raw("board", &[("roundtable_id", &id)]).await;
                let vote = p.call_raw("vote", &[("roundtable_id", &id)]).await;
                let done = Instant::now();
                let seq = match (&board, &vote) {
                    (Ok((200, b)), Ok((200, _))) => top_seq(b).unwrap_or(-1),
                    _ => -1,
                };
                l.lock().unwrap().push(View {
                    done,
                    seq,
                    took: done - started,
                    ok: seq >= 0,
                });
                s.fetch_max(seq, Ordering::Relaxed);
            }
        });
        Refetcher {
            changed,
            log,
            seen,
            task,
        }
    }

    pub fn close(&self) {
        self.task.abort();
    }
}
