//! (ssr) SQL for running a roundtable: editing columns, clusters of notes, the
//! shared countdown and the phases. Each change records its event in the same
//! transaction, like the notes.
use super::model::*;
use super::store::{record, record_note};
use crate::db::{now, Db, Tx};
use crate::error::{AppError, AppResult};
use sqlx::Row as _;

/// A board's roundtable, or `None` if there is no such board.
pub async fn board_roundtable(db: &Db, board_id: i64) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query("SELECT roundtable_id FROM boards WHERE id = $1")
            .bind(board_id)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| r.get("roundtable_id")),
    )
}

/// Records a board's columns as they are now.
async fn record_columns(tx: &mut Tx, board_id: i64) -> AppResult<i64> {
    let rows = sqlx::query(
        "SELECT c.id, c.title, b.roundtable_id FROM board_columns c JOIN boards b ON b.id = c.board_id \
         WHERE c.board_id = $1 ORDER BY c.position, c.id",
    )
    .bind(board_id)
    .fetch_all(&mut **tx)
    .await?;
    let roundtable_id: i64 = rows
        .first()
        .map(|r| r.get("roundtable_id"))
        .ok_or(AppError::NotFound)?;
    let columns = rows
        .iter()
        .map(|r| Column {
            id: r.get("id"),
            title: r.get("title"),
        })
        .collect();
    let event = BoardEvent::Columns { board_id, columns };
    record(tx, roundtable_id, &event, None, None).await?;
    Ok(roundtable_id)
}

/// Adds a column at the end of a board, up to `COLUMNS_MAX`. `false` if full.
pub async fn add_column(db: &Db, board_id: i64, title: &str) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let r = sqlx::query(
        "SELECT COUNT(*) AS n, COALESCE(MAX(position), -1) AS last FROM board_columns WHERE board_id = $1",
    )
    .bind(board_id)
    .fetch_one(&mut *tx)
    .await?;
    if r.get::<i64, _>("n") >= COLUMNS_MAX as i64 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO board_columns (board_id, title, position) VALUES ($1, $2, $3)")
        .bind(board_id)
        .bind(title)
        .bind(r.get::<i64, _>("last") + 1)
        .execute(&mut *tx)
        .await?;
    record_columns(&mut tx, board_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// Renames a column; returns its roundtable, or `None` if there is no such column.
pub async fn rename_column(db: &Db, column_id: i64, title: &str) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let Some(r) =
        sqlx::query("UPDATE board_columns SET title = $1 WHERE id = $2 RETURNING board_id")
            .bind(title)
            .bind(column_id)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(None);
    };
    let roundtable_id = record_columns(&mut tx, r.get("board_id")).await?;
    tx.commit().await?;
    Ok(Some(roundtable_id))
}

pub enum ColumnRemoval {
    Removed(i64),
    /// It holds notes (hidden ones too): nothing written is ever thrown away.
    NotEmpty,
    /// A board keeps at least one column.
    Last,
    NotFound,
}

/// Removes an empty column.
pub async fn remove_column(db: &Db, column_id: i64) -> AppResult<ColumnRemoval> {
    let mut tx = db.begin_write().await?;
    let Some(r) = sqlx::query(
        "SELECT c.board_id, \
         (SELECT COUNT(*) FROM board_notes n WHERE n.column_id = c.id) AS notes, \
         (SELECT COUNT(*) FROM board_columns o WHERE o.board_id = c.board_id) AS columns \
         FROM board_columns c WHERE c.id = $1",
    )
    .bind(column_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(ColumnRemoval::NotFound);
    };
    if r.get::<i64, _>("notes") > 0 {
        return Ok(ColumnRemoval::NotEmpty);
    }
    if r.get::<i64, _>("columns") <= 1 {
        return Ok(ColumnRemoval::Last);
    }
    sqlx::query("DELETE FROM board_columns WHERE id = $1")
        .bind(column_id)
        .execute(&mut *tx)
        .await?;
    let roundtable_id = record_columns(&mut tx, r.get("board_id")).await?;
    tx.commit().await?;
    Ok(ColumnRemoval::Removed(roundtable_id))
}

/// Creates a cluster on a board; returns (its roundtable, its id), or `None`
/// if there is no such board.
pub async fn add_cluster(db: &Db, board_id: i64, label: &str) -> AppResult<Option<(i64, i64)>> {
    let mut tx = db.begin_write().await?;
    let Some(board) = sqlx::query("SELECT roundtable_id FROM boards WHERE id = $1")
        .bind(board_id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let roundtable_id: i64 = board.get("roundtable_id");
    let id: i64 = sqlx::query(
        "INSERT INTO board_clusters (board_id, label, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(board_id)
    .bind(label)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    let cluster = Cluster {
        id,
        label: label.to_string(),
    };
    record(
        &mut tx,
        roundtable_id,
        &BoardEvent::Cluster { board_id, cluster },
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Some((roundtable_id, id)))
}

/// Puts a note in a cluster of its own board, or takes it out (`None`).
/// Returns false if the note or the cluster is not there.
pub async fn group_note(db: &Db, note_id: i64, cluster_id: Option<i64>) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE board_notes SET cluster_id = $1 WHERE id = $2 \
         AND ($1 IS NULL OR board_id = (SELECT board_id FROM board_clusters WHERE id = $1))",
    )
    .bind(cluster_id)
    .bind(note_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    record_note(&mut tx, note_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// Starts the shared countdown for `seconds`, or stops it (`None`).
/// Returns false if there is no such roundtable.
pub async fn set_timer(db: &Db, roundtable_id: i64, seconds: Option<i64>) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let ends = seconds.map(|s| now() + s);
    let changed = sqlx::query("UPDATE roundtables SET timer_ends_at = $1 WHERE id = $2")
        .bind(ends)
        .bind(roundtable_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    record(
        &mut tx,
        roundtable_id,
        &BoardEvent::Timer { seconds },
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves the roundtable to `phase`. Closing it locks both boards, closes an
/// open vote and stops the countdown, so the record stays as it was.
pub async fn set_phase(db: &Db, roundtable_id: i64, phase: Phase) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query("UPDATE roundtables SET phase = $1 WHERE id = $2")
        .bind(phase.as_str())
        .bind(roundtable_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    record(
        &mut tx,
        roundtable_id,
        &BoardEvent::Phase { phase },
        None,
        None,
    )
    .await?;
    if phase == Phase::Closed {
        super::vote_store::close_in(&mut tx, roundtable_id).await?;
        sqlx::query("UPDATE roundtables SET timer_ends_at = NULL WHERE id = $1")
            .bind(roundtable_id)
            .execute(&mut *tx)
            .await?;
        let boards = sqlx::query(
            "UPDATE boards SET locked = 1 WHERE roundtable_id = $1 \
             RETURNING id, private_writing, anonymous",
        )
        .bind(roundtable_id)
        .fetch_all(&mut *tx)
        .await?;
        for b in boards {
            let event = BoardEvent::Controls {
                board_id: b.get("id"),
                locked: true,
                private_writing: b.get::<i64, _>("private_writing") == 1,
                anonymous: b.get::<i64, _>("anonymous") == 1,
            };
            record(&mut tx, roundtable_id, &event, None, None).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}
