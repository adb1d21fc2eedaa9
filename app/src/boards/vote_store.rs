//! (ssr) SQL for the topic vote. Each person's dots are counted in a row of
//! their own that is raised only while below the limit, in the same transaction
//! as the dot: concurrent clicks serialize on that row and never exceed it.
use super::model::*;
use super::store::{first_receipt, next_seq, record_as};
use crate::db::{now, Db, Tx};
use crate::error::AppResult;
use sqlx::Row as _;

/// Opens the roundtable's vote on `options`; false if it already has one.
pub async fn open(
    db: &Db,
    roundtable_id: i64,
    options: &[String],
    per_person: i64,
    show_live: bool,
) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query(
        "INSERT INTO topic_votes (roundtable_id, per_person, show_live, opened_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (roundtable_id) DO NOTHING RETURNING id",
    )
    .bind(roundtable_id)
    .bind(per_person)
    .bind(show_live as i64)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let vote: i64 = row.get("id");
    let mut shown = Vec::with_capacity(options.len());
    for (position, label) in options.iter().enumerate() {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO vote_options (vote_id, label, position) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(vote)
        .bind(label)
        .bind(position as i64)
        .fetch_one(&mut *tx)
        .await?;
        shown.push(VoteOption {
            id,
            label: label.clone(),
            dots: show_live.then_some(0),
            mine: 0,
        });
    }
    let seq = next_seq(&mut tx, roundtable_id).await?;
    let vote = TopicVote {
        per_person,
        show_live,
        closed: false,
        options: shown,
        left: per_person,
        seq,
    };
    record_vote(&mut tx, roundtable_id, vote, None).await?;
    tx.commit().await?;
    Ok(true)
}

/// The vote an option belongs to: (vote id, roundtable id, closed).
pub async fn option_vote(db: &Db, option_id: i64) -> AppResult<Option<(i64, i64, bool)>> {
    let row = sqlx::query(
        "SELECT v.id, v.roundtable_id, v.closed_at FROM vote_options o JOIN topic_votes v ON v.id = o.vote_id \
         WHERE o.id = $1",
    )
    .bind(option_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| {
        (
            r.get("id"),
            r.get("roundtable_id"),
            r.get::<Option<i64>, _>("closed_at").is_some(),
        )
    }))
}

pub enum Dot {
    Cast,
    /// The person has used all their dots.
    Limit,
    Closed,
}

/// Puts one of the person's dots on an option.
/// With the `key` of a dot sent before, nothing changes and the answer is
/// `Cast`: the first one cast it.
pub async fn cast(db: &Db, option_id: i64, user_id: i64, key: Option<&str>) -> AppResult<Dot> {
    let mut tx = db.begin_write().await?;
    hold_option_roundtable(&mut tx, option_id).await?;
    let Some(v) = sqlx::query(
        "SELECT v.id, v.roundtable_id, v.per_person, v.show_live, v.closed_at FROM vote_options o \
         JOIN topic_votes v ON v.id = o.vote_id WHERE o.id = $1",
    )
    .bind(option_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Dot::Closed);
    };
    if !first_receipt(&mut tx, v.get("roundtable_id"), user_id, key).await? {
        return Ok(Dot::Cast);
    }
    if v.get::<Option<i64>, _>("closed_at").is_some() {
        return Ok(Dot::Closed);
    }
    let vote: i64 = v.get("id");
    sqlx::query(
        "INSERT INTO vote_voters (vote_id, user_id, used) VALUES ($1, $2, 0) ON CONFLICT (vote_id, user_id) DO NOTHING",
    )
    .bind(vote)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let counted = sqlx::query(
        "UPDATE vote_voters SET used = used + 1 WHERE vote_id = $1 AND user_id = $2 AND used < $3",
    )
    .bind(vote)
    .bind(user_id)
    .bind(v.get::<i64, _>("per_person"))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if counted != 1 {
        return Ok(Dot::Limit);
    }
    sqlx::query(
        "INSERT INTO vote_dots (vote_id, option_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(vote)
    .bind(option_id)
    .bind(user_id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if v.get::<i64, _>("show_live") == 1 {
        record_tally(&mut tx, v.get("roundtable_id"), vote).await?;
    }
    tx.commit().await?;
    Ok(Dot::Cast)
}

/// Takes back one of the person's dots from an option; false if there was none.
/// With the `key` of a take-back sent before, nothing changes and the answer is true.
pub async fn take_back(
    db: &Db,
    option_id: i64,
    user_id: i64,
    key: Option<&str>,
) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    // A keyed take-back's receipt belongs to the roundtable.
    if let Some(roundtable_id) = hold_option_roundtable(&mut tx, option_id).await? {
        if key.is_some() && !first_receipt(&mut tx, roundtable_id, user_id, key).await? {
            return Ok(true);
        }
    }
    let Some(d) = sqlx::query(
        "SELECT d.id, d.vote_id, v.roundtable_id, v.show_live FROM vote_dots d JOIN topic_votes v ON v.id = d.vote_id \
         WHERE d.option_id = $1 AND d.user_id = $2 AND v.closed_at IS NULL ORDER BY d.id DESC LIMIT 1",
    )
    .bind(option_id)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    sqlx::query("DELETE FROM vote_dots WHERE id = $1")
        .bind(d.get::<i64, _>("id"))
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE vote_voters SET used = used - 1 WHERE vote_id = $1 AND user_id = $2")
        .bind(d.get::<i64, _>("vote_id"))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if d.get::<i64, _>("show_live") == 1 {
        record_tally(&mut tx, d.get("roundtable_id"), d.get("vote_id")).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Records every option's dots for the streams. They are counted after the
/// event number is taken: its lock orders the dots' transactions, so each
/// tally counts every dot committed before it and the last one holds.
async fn record_tally(tx: &mut Tx, roundtable_id: i64, vote: i64) -> AppResult<()> {
    let seq = next_seq(tx, roundtable_id).await?;
    let options = sqlx::query(
        "SELECT o.id, (SELECT COUNT(*) FROM vote_dots d WHERE d.option_id = o.id) AS dots \
         FROM vote_options o WHERE o.vote_id = $1 ORDER BY o.position",
    )
    .bind(vote)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| OptionDots {
        id: r.get("id"),
        dots: r.get("dots"),
    })
    .collect();
    let tally = BoardEvent::Tally { options };
    record_as(tx, roundtable_id, seq, &tally, None, None).await
}

/// Closes the vote and records the topic with the most dots (the first listed
/// on a tie) on the roundtable. Returns the topic, or `None` if there is no open vote.
pub async fn close(db: &Db, roundtable_id: i64) -> AppResult<Option<String>> {
    let mut tx = db.begin_write().await?;
    let topic = close_in(&mut tx, roundtable_id).await?;
    tx.commit().await?;
    Ok(topic)
}

/// Holds the roundtable's row until the transaction ends: a no-op update, which
/// on PostgreSQL waits for any transaction holding it (SQLite has one writer).
/// Every write of the vote takes it before anything else, so a dot and the
/// vote's closing come one after the other, always in that order of locks: a
/// dot is counted by the closing or refused by it, never stored after the count.
async fn hold_roundtable(tx: &mut Tx, roundtable_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE roundtables SET last_seq = last_seq WHERE id = $1")
        .bind(roundtable_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `hold_roundtable` for the roundtable whose vote `option_id` is on: its id,
/// if the option is.
async fn hold_option_roundtable(tx: &mut Tx, option_id: i64) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "UPDATE roundtables SET last_seq = last_seq WHERE id = (SELECT v.roundtable_id \
         FROM vote_options o JOIN topic_votes v ON v.id = o.vote_id WHERE o.id = $1) RETURNING id",
    )
    .bind(option_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Closes the open vote, if any, in the caller's transaction.
pub(super) async fn close_in(tx: &mut Tx, roundtable_id: i64) -> AppResult<Option<String>> {
    hold_roundtable(tx, roundtable_id).await?;
    let Some(v) = sqlx::query(
        "UPDATE topic_votes SET closed_at = $1 WHERE roundtable_id = $2 AND closed_at IS NULL \
         RETURNING id, per_person, show_live",
    )
    .bind(now())
    .bind(roundtable_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    // Counted after the event number is taken, as a tally is (`record_tally`).
    let seq = next_seq(tx, roundtable_id).await?;
    let options: Vec<VoteOption> = sqlx::query(
        "SELECT o.id, o.label, (SELECT COUNT(*) FROM vote_dots d WHERE d.option_id = o.id) AS dots \
         FROM vote_options o WHERE o.vote_id = $1 ORDER BY o.position",
    )
    .bind(v.get::<i64, _>("id"))
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| VoteOption {
        id: r.get("id"),
        label: r.get("label"),
        dots: Some(r.get("dots")),
        mine: 0,
    })
    .collect();
    // The most dots; on a tie, the first listed.
    let topic = options
        .iter()
        .rev()
        .max_by_key(|o| o.dots)
        .map(|o| o.label.clone());
    sqlx::query("UPDATE roundtables SET chosen_topic = $1 WHERE id = $2")
        .bind(&topic)
        .bind(roundtable_id)
        .execute(&mut **tx)
        .await?;
    let per_person: i64 = v.get("per_person");
    let vote = TopicVote {
        per_person,
        show_live: v.get::<i64, _>("show_live") == 1,
        closed: true,
        options,
        left: per_person,
        seq,
    };
    record_vote(tx, roundtable_id, vote, topic.clone()).await?;
    Ok(topic)
}

/// Records the vote's opening or closing for the streams, as everyone sees it,
/// under `vote.seq` (taken by `next_seq` in the same transaction).
async fn record_vote(
    tx: &mut Tx,
    roundtable_id: i64,
    vote: TopicVote,
    chosen_topic: Option<String>,
) -> AppResult<()> {
    let seq = vote.seq;
    let event = BoardEvent::Vote {
        public: Some(PublicVote { vote, chosen_topic }),
    };
    record_as(tx, roundtable_id, seq, &event, None, None).await
}

/// A roundtable's vote as read for one viewer.
#[derive(Default)]
pub struct VoteRead {
    pub vote: Option<TopicVote>,
    pub chosen_topic: Option<String>,
    /// The roundtable's last event number when it was read.
    pub seq: i64,
}

/// The vote as `viewer` may see it: counts only while shown live or once closed.
pub async fn view(db: &Db, roundtable_id: i64, viewer: Option<i64>) -> AppResult<VoteRead> {
    let Some(v) = sqlx::query(
        "SELECT r.chosen_topic, r.last_seq, v.id, v.per_person, v.show_live, v.closed_at \
         FROM roundtables r LEFT JOIN topic_votes v ON v.roundtable_id = r.id WHERE r.id = $1",
    )
    .bind(roundtable_id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(VoteRead::default());
    };
    let chosen: Option<String> = v.get("chosen_topic");
    let read_at: i64 = v.get("last_seq");
    let Some(vote) = v.get::<Option<i64>, _>("id") else {
        return Ok(VoteRead {
            vote: None,
            chosen_topic: chosen,
            seq: read_at,
        });
    };
    let closed = v.get::<Option<i64>, _>("closed_at").is_some();
    let visible = closed || v.get::<i64, _>("show_live") == 1;
    let me = viewer.unwrap_or(0);
    // One statement: the event number it reads goes with the dots it counts.
    let rows = sqlx::query(
        "SELECT o.id, o.label, \
         (SELECT COUNT(*) FROM vote_dots d WHERE d.option_id = o.id) AS dots, \
         (SELECT COUNT(*) FROM vote_dots d WHERE d.option_id = o.id AND d.user_id = $2) AS mine, \
         (SELECT r.last_seq FROM roundtables r WHERE r.id = $3) AS seq \
         FROM vote_options o WHERE o.vote_id = $1 ORDER BY o.position",
    )
    .bind(vote)
    .bind(me)
    .bind(roundtable_id)
    .fetch_all(&db.pool)
    .await?;
    let seq = rows.first().map_or(0, |r| r.get("seq"));
    let options: Vec<VoteOption> = rows
        .iter()
        .map(|r| VoteOption {
            id: r.get("id"),
            label: r.get("label"),
            dots: visible.then(|| r.get("dots")),
            mine: r.get("mine"),
        })
        .collect();
    let per_person: i64 = v.get("per_person");
    let used: i64 = options.iter().map(|o| o.mine).sum();
    Ok(VoteRead {
        vote: Some(TopicVote {
            per_person,
            show_live: v.get::<i64, _>("show_live") == 1,
            closed,
            options,
            left: per_person - used,
            seq,
        }),
        chosen_topic: chosen,
        seq: read_at,
    })
}

/// Board 1's clusters and the notes everyone can see, as candidate topics
/// (id, label); a note's text is cut to the length of a topic.
pub async fn candidates(
    db: &Db,
    roundtable_id: i64,
) -> AppResult<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let clusters = sqlx::query(
        "SELECT c.id, c.label FROM board_clusters c JOIN boards b ON b.id = c.board_id \
         WHERE b.roundtable_id = $1 AND b.number = 1 ORDER BY c.id",
    )
    .bind(roundtable_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("id"), r.get("label")))
    .collect();
    let notes = sqlx::query(
        "SELECT n.id, n.body FROM board_notes n JOIN boards b ON b.id = n.board_id \
         WHERE b.roundtable_id = $1 AND b.number = 1 AND n.revealed = 1 AND n.hidden = 0 \
         ORDER BY n.column_id, n.id LIMIT 200",
    )
    .bind(roundtable_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let body: String = r.get("body");
        (r.get("id"), body.chars().take(TOPIC_MAX).collect())
    })
    .collect();
    Ok((clusters, notes))
}
