//! Demo data for a roundtable that has already met: notes on both boards,
//! clusters, the topic vote with its dots, attendance, and the closing. Written
//! through the boards' own store functions, so events and the record are real.
use anyhow::Context;
use app::accounts::store as accounts;
use app::boards::model::Phase;
use app::boards::{facilitation_store, store as boards, vote_store};
use app::db::Db;
use app::roundtables::store as roundtables;
use serde::Deserialize;
use sqlx::Row;
use std::collections::HashMap;

#[derive(Deserialize)]
pub struct SeedSession {
    /// Emails of the registered people who attended.
    #[serde(default)]
    attended: Vec<String>,
    #[serde(default)]
    notes: Vec<SeedNote>,
    vote: Option<SeedVote>,
    /// Closed by the facilitator (boards locked, vote closed).
    #[serde(default)]
    closed: bool,
}

#[derive(Deserialize)]
struct SeedNote {
    /// 1 or 2.
    board: i64,
    /// Position of the column on its board, from 0.
    column: usize,
    author: String,
    body: String,
    /// Label of a cluster on the same board, created when first named.
    cluster: Option<String>,
}

#[derive(Deserialize)]
struct SeedVote {
    per_person: i64,
    topics: Vec<String>,
    /// (email, topic) for each dot.
    dots: Vec<(String, String)>,
}

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// The id of the account with `email`, looked up once per seed.
async fn user_id(db: &Db, people: &mut HashMap<String, i64>, email: &str) -> anyhow::Result<i64> {
    if let Some(id) = people.get(email) {
        return Ok(*id);
    }
    let id = accounts::credentials(db, email)
        .await
        .map_err(err)?
        .with_context(|| format!("account {email}"))?
        .id;
    people.insert(email.to_string(), id);
    Ok(id)
}

pub async fn load(db: &Db, roundtable_id: i64, s: &SeedSession) -> anyhow::Result<()> {
    // Columns of each board, in order, and each board's id.
    let rows = sqlx::query(
        "SELECT b.id AS board_id, b.number, c.id FROM boards b JOIN board_columns c ON c.board_id = b.id \
         WHERE b.roundtable_id = $1 ORDER BY b.number, c.position, c.id",
    )
    .bind(roundtable_id)
    .fetch_all(&db.pool)
    .await?;
    let columns = |number: i64| -> Vec<(i64, i64)> {
        rows.iter()
            .filter(|r| r.get::<i64, _>("number") == number)
            .map(|r| (r.get("board_id"), r.get("id")))
            .collect()
    };
    let mut clusters: HashMap<(i64, String), i64> = HashMap::new();
    let mut people: HashMap<String, i64> = HashMap::new();
    for n in &s.notes {
        let (board_id, column_id) = *columns(n.board)
            .get(n.column)
            .with_context(|| format!("board {} column {}", n.board, n.column))?;
        let author = user_id(db, &mut people, &n.author).await?;
        let boards::NoteAdded::Added(note_id) =
            boards::add_note(db, column_id, author, &n.body, None)
                .await
                .map_err(err)?
        else {
            anyhow::bail!("board locked");
        };
        let Some(label) = &n.cluster else { continue };
        let key = (board_id, label.clone());
        if !clusters.contains_key(&key) {
            let (_, id) = facilitation_store::add_cluster(db, board_id, label)
                .await
                .map_err(err)?
                .context("board")?;
            clusters.insert(key.clone(), id);
        }
        facilitation_store::group_note(db, note_id, Some(clusters[&key]))
            .await
            .map_err(err)?;
    }
    if let Some(v) = &s.vote {
        vote_store::open(db, roundtable_id, &v.topics, v.per_person, false)
            .await
            .map_err(err)?;
        for (email, topic) in &v.dots {
            let option: i64 = sqlx::query(
                "SELECT o.id FROM vote_options o JOIN topic_votes v ON v.id = o.vote_id \
                 WHERE v.roundtable_id = $1 AND o.label = $2",
            )
            .bind(roundtable_id)
            .bind(topic)
            .fetch_one(&db.pool)
            .await
            .with_context(|| format!("topic {topic}"))?
            .get("id");
            vote_store::cast(db, option, user_id(db, &mut people, email).await?, None)
                .await
                .map_err(err)?;
        }
        vote_store::close(db, roundtable_id).await.map_err(err)?;
    }
    let mut attended = Vec::new();
    for email in &s.attended {
        attended.push(user_id(db, &mut people, email).await?);
    }
    roundtables::set_attendance(db, roundtable_id, &attended)
        .await
        .map_err(err)?;
    if s.closed {
        facilitation_store::set_phase(db, roundtable_id, Phase::Closed)
            .await
            .map_err(err)?;
    }
    Ok(())
}
