//! Which dot caused which tally event. A tally carries the counts, not the dot,
//! so the pairing comes from the database: SQLite runs one write transaction at
//! a time, and each dot's row and its event are written in the same one, so
//! the dots in id order match the tally events in seq order.
use crate::client::email_of;
use crate::load::Post;
use anyhow::{bail, ensure, Result};
use sqlx::Row;
use std::collections::HashMap;

/// Sets the seq of each successful `cast_dot` in `posts`, from the events after
/// `after` (the vote shows its results live: each dot sends a tally).
pub async fn attribute(
    database_url: &str,
    roundtable_id: i64,
    first: usize,
    after: i64,
    posts: &mut [Post],
) -> Result<()> {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("{database_url}?mode=ro"))
        .await?;
    let seqs: Vec<i64> = sqlx::query(
        "SELECT seq FROM board_events WHERE roundtable_id = ? AND kind = 'tally' AND seq > ? ORDER BY seq",
    )
    .bind(roundtable_id)
    .bind(after)
    .fetch_all(&pool)
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    let voters: Vec<String> = sqlx::query(
        "SELECT u.email FROM vote_dots d JOIN users u ON u.id = d.user_id \
         JOIN topic_votes v ON v.id = d.vote_id WHERE v.roundtable_id = ? ORDER BY d.id",
    )
    .bind(roundtable_id)
    .fetch_all(&pool)
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    pool.close().await;
    ensure!(
        seqs.len() == voters.len(),
        "{} tally events but {} dots: cannot pair them",
        seqs.len(),
        voters.len()
    );
    // Each participant's dots, in the order they were sent (one at a time).
    let mut mine: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order: Vec<usize> = (0..posts.len()).collect();
    order.sort_by_key(|&i| posts[i].sent);
    for i in order {
        let p = &posts[i];
        if let (Some(author), true, "cast_dot") = (p.author, p.ok(), p.endpoint) {
            mine.entry(email_of(first + author)).or_default().push(i);
        }
    }
    let mut next: HashMap<&str, usize> = HashMap::new();
    for (seq, email) in seqs.iter().zip(&voters) {
        let k = next.entry(email.as_str()).or_default();
        let Some(&post) = mine.get(email).and_then(|v| v.get(*k)) else {
            bail!("a dot by {email} that the bench did not send");
        };
        posts[post].seq = Some(*seq);
        *k += 1;
    }
    Ok(())
}
