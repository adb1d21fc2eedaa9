//! What each participant's browser does with the live stream: it reads the
//! server-sent events and (like the boards page, see `app/src/boards/live_client.rs`
//! and `apply_live_notes` in `pages.rs`) applies a note event to the boards on
//! screen as it comes, and fetches the board and/or the vote again after any
//! other change. Everything is timestamped on arrival.
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
    /// Each event then marks what the page reads again in `marks`, if any.
    pub async fn open(p: &Person, roundtable_id: i64, marks: Option<Arc<Marks>>) -> Result<Stream> {
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
        if let Some(m) = &marks {
            // The page reads both parts on the first connection, as it was
            // read before the stream opened.
            m.mark(true, true);
        }
        let log = Arc::new(Mutex::new(StreamLog::default()));
        let seen = Arc::new(AtomicI64::new(start_seq));
        let task = tokio::spawn(read(res, buf, log.clone(), seen.clone(), marks));
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
    marks: Option<Arc<Marks>>,
) {
    loop {
        // One arrival time per chunk, taken before parsing it.
        let at = Instant::now();
        while let Some(block) = next_block(&mut buf) {
            let (event, seq, data) = parse_block(&block);
            // `ping` (every 15 s) and anything else but `change` ask for no read.
            if event != "change" {
                continue;
            }
            // The same test as the page's (`Snapshot::apply`): a note, a phase,
            // the countdown, a cluster, renamed columns or a live tally of the
            // vote's dots are applied on screen (no read), and so is the vote
            // opening or closing when its event carries it (a server from
            // before that: the vote is read); the board's controls (a
            // reveal among them, which the bench does not tell apart) the boards.
            let data: Value = serde_json::from_str(&data).unwrap_or_default();
            let (board, vote) = match (data["seq"].as_i64(), data["event"]["type"].as_str()) {
                (
                    Some(_),
                    Some(
                        "note" | "note_deleted" | "phase" | "timer" | "cluster" | "columns"
                        | "tally",
                    ),
                ) => (false, false),
                (Some(_), Some("vote")) => (false, !data["event"]["public"].is_object()),
                _ => (true, false),
            };
            let body = data["event"]["note"]["body"].as_str().map(str::to_string);
            log.lock().unwrap().arrivals.push(Arrival { seq, at, body });
            seen.fetch_max(seq, Ordering::Relaxed);
            if let Some(m) = &marks {
                if board || vote {
                    m.mark(board, vote);
                } else {
                    // On screen now: the page applies it in place.
                    m.screen.fetch_max(seq, Ordering::Relaxed);
                }
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

/// How long a mark waits for others before the page reads (`COALESCE` in
/// `live_client.rs`).
const COALESCE: Duration = Duration::from_millis(120);

/// The part of the page that a fetch read again.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Board,
    Vote,
}

/// One fetch of the board or the vote after changes.
pub struct View {
    pub part: Part,
    pub done: Instant,
    /// Every event up to this seq is on screen at `done`: the board snapshot's
    /// seq, or for the vote (which carries none) the last event the stream had
    /// delivered when the fetch was sent, so already committed.
    pub seq: i64,
    pub took: Duration,
    pub ok: bool,
    /// The page's first read of this part, when its stream opened (not after a change).
    pub first: bool,
}

/// The page fetches of each part, as report rows: a page's first read of it
/// (as its stream opens) apart from reads after a change.
pub fn fetch_rows<'a>(
    views: impl Iterator<Item = &'a View> + Clone,
) -> Vec<(String, crate::report::Samples)> {
    let mut rows = Vec::new();
    for (part, name) in [(Part::Board, "board"), (Part::Vote, "vote")] {
        for (first, when) in [
            (true, "first, as its stream opens"),
            (false, "after changes"),
        ] {
            let took = views
                .clone()
                .filter(|v| v.part == part && v.first == first)
                .map(|v| v.took.as_secs_f64() * 1000.0)
                .collect();
            rows.push((
                format!("page fetch /api/{name}, {when}"),
                crate::report::Samples::new(took),
            ));
        }
    }
    rows
}

/// The page's marks waiting for `COALESCE`: the first one starts the timer,
/// later ones join it; when it fires, each marked part is fetched once.
#[derive(Default)]
pub struct Marks {
    /// (board, vote)
    pending: Mutex<(bool, bool)>,
    board: Notify,
    vote: Notify,
    /// Highest seq on screen, by a fetch or by a note applied in place; only
    /// used to wait until every page shows the last event.
    pub screen: AtomicI64,
}

impl Marks {
    pub fn mark(self: &Arc<Self>, board: bool, vote: bool) {
        let mut pending = self.pending.lock().unwrap();
        let waiting = pending.0 || pending.1;
        *pending = (pending.0 || board, pending.1 || vote);
        if waiting || !(board || vote) {
            return;
        }
        let marks = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(COALESCE).await;
            let (board, vote) = std::mem::take(&mut *marks.pending.lock().unwrap());
            if board {
                marks.board.notify_one();
            }
            if vote {
                marks.vote.notify_one();
            }
        });
    }

    /// The author's own action bumps its resource's source (the action's
    /// `version`): read again now, without the timer.
    pub fn reread(&self, board: bool, vote: bool) {
        if board {
            self.board.notify_one();
        }
        if vote {
            self.vote.notify_one();
        }
    }
}

/// The page's two resources, `/api/board` and `/api/vote`. Like a leptos
/// resource, each runs one fetch at a time, and marks that come during a fetch
/// make one more after it (a `Notify` keeps one permit).
pub struct Refetcher {
    pub log: Arc<Mutex<Vec<View>>>,
    pub marks: Arc<Marks>,
    tasks: [JoinHandle<()>; 2],
}

impl Refetcher {
    /// `heard`: the stream's highest seq, to date what a vote fetch includes.
    pub fn spawn(
        p: Person,
        roundtable_id: i64,
        marks: Arc<Marks>,
        heard: Arc<AtomicI64>,
    ) -> Refetcher {
        let log = Arc::new(Mutex::new(Vec::new()));
        let fetcher = |part: Part| {
            let (p, marks, heard) = (p.clone(), marks.clone(), heard.clone());
            let log = log.clone();
            let id = roundtable_id.to_string();
            tokio::spawn(async move {
                for n in 0.. {
                    let (wake, endpoint) = match part {
                        Part::Board => (&marks.board, "board"),
                        Part::Vote => (&marks.vote, "vote"),
                    };
                    wake.notified().await;
                    let started = Instant::now();
                    let heard_then = heard.load(Ordering::Relaxed);
                    let res = p.call_raw(endpoint, &[("roundtable_id", &id)]).await;
                    let done = Instant::now();
                    let seq = match (&res, part) {
                        (Ok((200, b)), Part::Board) => top_seq(b).unwrap_or(-1),
                        (Ok((200, _)), Part::Vote) => heard_then,
                        _ => -1,
                    };
                    log.lock().unwrap().push(View {
                        part,
                        done,
                        seq,
                        took: done - started,
                        ok: seq >= 0,
                        first: n == 0,
                    });
                    marks.screen.fetch_max(seq, Ordering::Relaxed);
                }
            })
        };
        let tasks = [fetcher(Part::Board), fetcher(Part::Vote)];
        Refetcher { log, marks, tasks }
    }

    pub fn close(&self) {
        self.tasks.iter().for_each(JoinHandle::abort);
    }
}
