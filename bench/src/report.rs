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

/// Notes applied in place and then taken off the screen again: the page puts
/// every board it fetches on screen as it is, so a note that the stream
/// delivered while a board fetch was on its way, and that this board does not
/// include yet (its seq is lower), disappears until a later board fetch
/// includes it. Returns the (note, receiver) pairs this happened to, how long
/// they were off screen (ms), and how many never came back during the run.
pub fn wiped(posts: &[&Post], receivers: &[Receiver]) -> (usize, Samples, usize) {
    let (mut count, mut off, mut never) = (0, vec![], 0);
    for (i, r) in receivers.iter().enumerate() {
        let Some(views) = r.views else { continue };
        let boards: Vec<&View> = views
            .iter()
            .filter(|v| v.ok && v.part == Part::Board)
            .collect();
        let arrivals: HashMap<i64, Instant> =
            r.stream.arrivals.iter().map(|a| (a.seq, a.at)).collect();
        for p in posts {
            let Some(seq) = p.seq else { continue };
            if p.author == Some(i) {
                continue;
            }
            let Some(&at) = arrivals.get(&seq) else {
                continue;
            };
            // The first fetched board put on screen after the note was applied.
            let Some(first) = boards.iter().filter(|v| v.done > at).min_by_key(|v| v.done) else {
                continue;
            };
            if first.seq >= seq {
                continue;
            }
            count += 1;
            match boards
                .iter()
                .filter(|v| v.done > first.done && v.seq >= seq)
                .min_by_key(|v| v.done)
            {
                Some(back) => off.push(ms(first.done, back.done)),
                None => never += 1,
            }
        }
    }
    (count, Samples::new(off), never)
}

pub fn post_latency(posts: &[&Post]) -> Samples {
    Samples::new(posts.iter().map(|p| ms(p.sent, p.returned)).collect())
}

pub fn header(out: &mut String) {
    let _ = writeln!(out, "| ms | p50 | p90 | p99 | max | samples |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
}
