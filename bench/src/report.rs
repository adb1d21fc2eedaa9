//! Turns the timestamps into latency percentiles and delivery counts.
use crate::live::{Part, StreamLog, View};
use crate::load::Post;
use std::collections::HashMap;
use std::fmt::Write;
use std::time::Instant;

/// What the streams and refetchers of participant `i` recorded.
pub struct Receiver<'a> {
    pub stream: &'a StreamLog,
    pub views: Option<&'a [View]>,
}

/// Sorted samples in milliseconds.
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn new(mut v: Vec<f64>) -> Samples {
        v.sort_by(f64::total_cmp);
        Samples(v)
    }

    /// The samples of several runs together.
    pub fn merge(all: impl IntoIterator<Item = Samples>) -> Samples {
        Samples::new(all.into_iter().flat_map(|s| s.0).collect())
    }

    /// Nearest-rank percentile.
    fn pct(&self, p: f64) -> f64 {
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub fn row(&self, name: &str) -> String {
        if self.0.is_empty() {
            return format!("| {name} | – | – | – | – | 0 |\n");
        }
        format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.1} | {} |\n",
            self.pct(50.0),
            self.pct(90.0),
            self.pct(99.0),
            self.0[self.0.len() - 1],
            self.0.len()
        )
    }
}

fn ms(from: Instant, to: Instant) -> f64 {
    if to >= from {
        (to - from).as_secs_f64() * 1000.0
    } else {
        -((from - to).as_secs_f64() * 1000.0)
    }
}

/// Fills in the seq of each note post from the bodies the streams received.
pub fn attribute_notes(posts: &mut [Post], receivers: &[Receiver]) {
    let mut by_body: HashMap<&str, i64> = HashMap::new();
    for r in receivers {
        for a in &r.stream.arrivals {
            if let Some(b) = &a.body {
                by_body.insert(b.as_str(), a.seq);
            }
        }
    }
    for p in posts.iter_mut() {
        if let Some(seq) = p.body.as_deref().and_then(|b| by_body.get(b)) {
            p.seq = Some(*seq);
        }
    }
}

pub struct Deliveries {
    pub events: usize,
    pub expected: usize,
    pub received: usize,
    /// Events received twice or out of order, over all streams.
    pub disordered: usize,
    pub stream_errors: Vec<String>,
}

/// Every stream must get every event in (`from`, `to`]: nothing on this board is private.
pub fn deliveries(receivers: &[Receiver], from: i64, to: i64) -> Deliveries {
    let events = (to - from).max(0) as usize;
    let mut d = Deliveries {
        events,
        expected: events * receivers.len(),
        received: 0,
        disordered: 0,
        stream_errors: Vec::new(),
    };
    for r in receivers {
        let mut last = i64::MIN;
        for a in &r.stream.arrivals {
            if a.seq <= last {
                d.disordered += 1;
            } else if a.seq > from && a.seq <= to {
                d.received += 1;
            }
            last = last.max(a.seq);
        }
        d.stream_errors.extend(r.stream.error.clone());
    }
    d
}

/// Latencies of the events caused by `posts`, to every receiver but the author:
/// (from POST sent, from POST returned, until it was on screen). `shown_by`:
/// the part whose fetch puts the event on screen, or `None` when the page
/// applies it from the stream as it comes (notes).
pub fn fan_out(
    posts: &[&Post],
    receivers: &[Receiver],
    shown_by: Option<Part>,
) -> (Samples, Samples, Samples, usize) {
    let arrivals: Vec<HashMap<i64, Instant>> = receivers
        .iter()
        .map(|r| {
            r.stream
                .arrivals
                .iter()
                .map(|a| (a.seq, a.at))
                .rev()
                .collect()
        })
        .collect();
    // Fetches of a part are one at a time per receiver, so their seqs only grow.
    let views: Vec<Option<Vec<(i64, Instant)>>> = receivers
        .iter()
        .map(|r| {
            r.views.map(|v| {
                v.iter()
                    .filter(|v| v.ok && Some(v.part) == shown_by)
                    .map(|v| (v.seq, v.done))
                    .collect()
            })
        })
        .collect();
    let (mut sent, mut returned, mut shown, mut never_shown) = (vec![], vec![], vec![], 0);
    for p in posts {
        let Some(seq) = p.seq else { continue };
        for i in 0..receivers.len() {
            if p.author == Some(i) {
                continue;
            }
            let arrived = arrivals[i].get(&seq);
            if let Some(at) = arrived {
                sent.push(ms(p.sent, *at));
                returned.push(ms(p.returned, *at));
            }
            if receivers[i].views.is_some() && shown_by.is_none() {
                match arrived {
                    Some(at) => shown.push(ms(p.sent, *at)),
                    None => never_shown += 1,
                }
            } else if let Some(views) = &views[i] {
                match views.get(views.partition_point(|(s, _)| *s < seq)) {
                    Some((_, done)) => shown.push(ms(p.sent, *done)),
                    None => never_shown += 1,
                }
            }
        }
    }
    (
        Samples::new(sent),
        Samples::new(returned),
        Samples::new(shown),
        never_shown,
    )
}

/// How many applied notes the page keeps to apply again over an older board
/// read (`RECENT_NOTES` in `app/src/boards/pages.rs`).
const RECENT_NOTES: usize = 500;

/// What fetched boards older than applied notes did to them. The page puts
/// every board it fetches on screen, then applies again over it the notes it
/// applied from the stream whose seq is above the board's, as long as they are
/// among the last `RECENT_NOTES` notes it applied (since commit `8d97ab3`).
pub struct Wiped {
    /// (note, receiver) pairs that a board fetch older than the note arrived
    /// over, and that the page applied again at once (nothing visible).
    pub reapplied: usize,
    /// Pairs taken off the screen: the older board arrived when the note was
    /// no longer among the last `RECENT_NOTES` applied.
    pub count: usize,
    /// How long those were off screen (ms), until a board fetch included them.
    pub off: Samples,
    /// Of `count`, those no later board fetch brought back during the run.
    pub never: usize,
}

pub fn wiped(posts: &[&Post], receivers: &[Receiver]) -> Wiped {
    let (mut reapplied, mut count, mut off, mut never) = (0, 0, vec![], 0);
    for (i, r) in receivers.iter().enumerate() {
        let Some(views) = r.views else { continue };
        let mut boards: Vec<&View> = views
            .iter()
            .filter(|v| v.ok && v.part == Part::Board)
            .collect();
        boards.sort_by_key(|v| v.done);
        // Every note the page applied, in stream order (the author's own too).
        let applied: Vec<(i64, Instant)> = r
            .stream
            .arrivals
            .iter()
            .filter(|a| a.body.is_some())
            .map(|a| (a.seq, a.at))
            .collect();
        let index: HashMap<i64, usize> = applied
            .iter()
            .enumerate()
            .map(|(k, (s, _))| (*s, k))
            .collect();
        for p in posts {
            let Some(seq) = p.seq else { continue };
            if p.author == Some(i) {
                continue;
            }
            let Some(&k) = index.get(&seq) else { continue };
            let at = applied[k].1;
            let mut older = boards
                .iter()
                .filter(|v| v.done > at && v.seq < seq)
                .peekable();
            if older.peek().is_none() {
                continue;
            }
            // The first older board that arrived once the note had left the
            // page's recent list, if any.
            let gone = older.find(|v| {
                let since = applied.partition_point(|(_, t)| *t <= v.done) - (k + 1);
                since >= RECENT_NOTES
            });
            let Some(first) = gone else {
                reapplied += 1;
                continue;
            };
            count += 1;
            match boards.iter().find(|v| v.done > first.done && v.seq >= seq) {
                Some(back) => off.push(ms(first.done, back.done)),
                None => never += 1,
            }
        }
    }
    Wiped {
        reapplied,
        count,
        off: Samples::new(off),
        never,
    }
}

pub fn post_latency(posts: &[&Post]) -> Samples {
    Samples::new(posts.iter().map(|p| ms(p.sent, p.returned)).collect())
}

/// The server's memory (VmRSS, and VmHWM at the end) through a board run, in
/// KiB as `server::memory` gives them: (RSS, HWM) after setup, with `streams`
/// open, the peak sampled during the load and at its end.
pub fn memory_table(
    w: &mut String,
    streams: usize,
    idle: (u64, u64),
    with_streams: (u64, u64),
    peak: u64,
    end: (u64, u64),
) {
    let mib = |kb: u64| kb as f64 / 1024.0;
    let _ = writeln!(w, "\n### Server memory (MiB)\n");
    let _ = writeln!(
        w,
        "| after setup | {streams} streams open | peak during load | end of load | VmHWM at end |"
    );
    let _ = writeln!(w, "|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        w,
        "| {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
        mib(idle.0),
        mib(with_streams.0),
        mib(peak.max(end.0)),
        mib(end.0),
        mib(end.1)
    );
}

pub fn header(out: &mut String) {
    let _ = writeln!(out, "| ms | p50 | p90 | p99 | max | samples |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
}
