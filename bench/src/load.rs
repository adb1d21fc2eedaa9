//! The load: every participant posts notes at a steady rate, then casts dots in
//! the topic vote the facilitator opens. Each POST is timed from just before it
//! is sent until its answer has been read.
use crate::client::{Person, Setup};
use crate::live::Marks;
use anyhow::{Context, Result};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Post {
    pub endpoint: &'static str,
    /// Participant index; `None` for the facilitator.
    pub author: Option<usize>,
    /// The note's body (unique, so it names the event on the stream).
    pub body: Option<String>,
    /// The event's seq, when known without looking at the streams.
    pub seq: Option<i64>,
    pub sent: Instant,
    pub returned: Instant,
    /// HTTP status; 0 when the request failed.
    pub status: u16,
}

impl Post {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

async fn timed(
    p: &Person,
    endpoint: &'static str,
    form: &[(&str, &str)],
    author: Option<usize>,
) -> Post {
    let sent = Instant::now();
    let status = match p.call(endpoint, form).await {
        Ok(r) => r.status,
        Err(_) => 0,
    };
    Post {
        endpoint,
        author,
        body: None,
        seq: None,
        sent,
        returned: Instant::now(),
        status,
    }
}

/// Runs `per_person` actions for each participant, one every `1/rate` seconds,
/// the participants' clocks spread evenly over the first period.
async fn paced<F, Fut>(n: usize, per_person: usize, rate: f64, action: F) -> Result<Vec<Post>>
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Post> + Send + 'static,
{
    let period = Duration::from_secs_f64(1.0 / rate);
    let start = tokio::time::Instant::now();
    let mut joins = tokio::task::JoinSet::new();
    for i in 0..n {
        let action = action.clone();
        let first = start + period.mul_f64(i as f64 / n as f64);
        joins.spawn(async move {
            let mut tick = tokio::time::interval_at(first, period);
            // A participant whose POST is slow waits for it, like a person would.
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut posts = Vec::with_capacity(per_person);
            for k in 0..per_person {
                tick.tick().await;
                posts.push(action(i, k).await);
            }
            posts
        });
    }
    let mut all = Vec::new();
    while let Some(posts) = joins.join_next().await {
        all.extend(posts?);
    }
    Ok(all)
}

/// The author's own page, when it reads again after its POST (`--author-reads`).
pub type Own = Option<Arc<Vec<Arc<Marks>>>>;

pub async fn notes(s: &Setup, per_person: usize, rate: f64, own: Own) -> Result<Vec<Post>> {
    let people = Arc::new(s.participants.clone());
    let columns = Arc::new(s.columns.clone());
    paced(s.participants.len(), per_person, rate, move |i, k| {
        let (people, columns, own) = (people.clone(), columns.clone(), own.clone());
        async move {
            let column = columns[(i + k) % columns.len()].to_string();
            let body = format!("bench {i}-{k}: una nota de largo parecido al de una nota real.");
            let form = [("column_id", column.as_str()), ("body", body.as_str())];
            let mut post = timed(&people[i], "add_note", &form, Some(i)).await;
            post.body = Some(body);
            if let Some(own) = &own {
                own[i].reread(true, false);
            }
            post
        }
    })
    .await
}

pub async fn dots(
    s: &Setup,
    options: &[i64],
    per_person: usize,
    rate: f64,
    own: Own,
) -> Result<Vec<Post>> {
    let people = Arc::new(s.participants.clone());
    let options = Arc::new(options.to_vec());
    paced(s.participants.len(), per_person, rate, move |i, k| {
        let (people, options, own) = (people.clone(), options.clone(), own.clone());
        async move {
            let option = options[(i + k) % options.len()].to_string();
            let post = timed(&people[i], "cast_dot", &[("option_id", &option)], Some(i)).await;
            if let Some(own) = &own {
                own[i].reread(false, true);
            }
            post
        }
    })
    .await
}

/// The roundtable's current seq, from the facilitator's snapshot.
pub async fn current_seq(s: &Setup) -> Result<i64> {
    let id = s.roundtable_id.to_string();
    let b = s
        .facilitator
        .call("board", &[("roundtable_id", &id)])
        .await?
        .ok("board")?;
    b["seq"].as_i64().context("snapshot without seq")
}

/// A facilitator action made while nothing else is written, so its event is
/// the next seq.
pub async fn facilitator_step(
    s: &Setup,
    endpoint: &'static str,
    form: &[(&str, &str)],
) -> Result<Post> {
    let before = current_seq(s).await?;
    let mut post = timed(&s.facilitator, endpoint, form, None).await;
    if post.ok() && current_seq(s).await? == before + 1 {
        post.seq = Some(before + 1);
    }
    Ok(post)
}

/// Opens the vote (after moving to the vote phase, on servers that have phases)
/// and returns the posts and the ids of its options.
pub async fn open_vote(
    s: &Setup,
    topics: usize,
    per_person: usize,
) -> Result<(Vec<Post>, Vec<i64>)> {
    let id = s.roundtable_id.to_string();
    let mut posts = Vec::new();
    let phase = [("roundtable_id", id.as_str()), ("phase", "vote")];
    // Servers without phases answer 404: then the vote opens in any phase.
    let step = facilitator_step(s, "roundtable_phase", &phase).await?;
    match step.status {
        404 => {}
        _ if step.ok() => posts.push(step),
        status => anyhow::bail!("roundtable_phase: HTTP {status}"),
    }
    let options: Vec<String> = (1..=topics).map(|t| format!("Tema {t}")).collect();
    let options = options.join("\n");
    let per_person = per_person.to_string();
    let form = [
        ("roundtable_id", id.as_str()),
        ("options", options.as_str()),
        ("per_person", per_person.as_str()),
        ("show_live", "on"),
    ];
    let step = facilitator_step(s, "open_vote", &form).await?;
    anyhow::ensure!(step.ok(), "open_vote: HTTP {}", step.status);
    posts.push(step);
    let v = s
        .facilitator
        .call("vote", &[("roundtable_id", &id)])
        .await?
        .ok("vote")?;
    let ids = v["vote"]["options"]
        .as_array()
        .context("vote has no options")?
        .iter()
        .filter_map(|o| o["id"].as_i64())
        .collect();
    Ok((posts, ids))
}

/// Waits until every counter reaches `target`, or `limit` passes; returns how
/// long it took, or `None` on timeout.
pub async fn wait_for(seen: &[&AtomicI64], target: i64, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if seen.iter().all(|s| s.load(Ordering::Relaxed) >= target) {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    None
}
