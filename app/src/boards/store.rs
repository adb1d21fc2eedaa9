//! (ssr) SQL for boards and their events. Each change and its event are written
//! in one transaction that takes the roundtable's next sequence number, so the
//! events are gapless and in the order the changes were made.
use super::model::*;
use crate::db::{now, Db, Row, Tx};
use crate::error::AppResult;
use crate::i18n::Locale;
use sqlx::Row as _;

/// The commitment template's questions: board 2's columns.
pub const TEMPLATE_COLUMNS: [&str; 7] = [
    "board.column.problem",
    "board.column.causes",
    "board.column.solution",
    "board.column.results",
    "board.column.values",
    "board.column.milestones",
    "board.column.actors",
];

/// Creates both boards of a new roundtable: board 1 with a column per presented
/// proposal plus questions and other contributions; board 2 with the template.
/// Column titles are content, written in the platform's first language.
pub async fn create_boards(tx: &mut Tx, roundtable_id: i64, proposals: &[String]) -> AppResult<()> {
    let es = Locale::EsAr;
    let mut first: Vec<String> = proposals.to_vec();
    first.push(es.t("board.column.questions"));
    first.push(es.t("board.column.other"));
    let second: Vec<String> = TEMPLATE_COLUMNS.iter().map(|k| es.t(k)).collect();
    for (number, columns) in [(1i64, first), (2, second)] {
        let board: i64 =
            sqlx::query("INSERT INTO boards (roundtable_id, number) VALUES ($1, $2) RETURNING id")
                .bind(roundtable_id)
                .bind(number)
                .fetch_one(&mut **tx)
                .await?
                .get("id");
        for (position, title) in columns.iter().enumerate() {
            sqlx::query(
                "INSERT INTO board_columns (board_id, title, position) VALUES ($1, $2, $3)",
            )
            .bind(board)
            .bind(title)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Takes the next event number and records the event.
async fn record(
    tx: &mut Tx,
    roundtable_id: i64,
    event: &BoardEvent,
    author_id: Option<i64>,
) -> AppResult<i64> {
    let seq: i64 = sqlx::query(
        "UPDATE roundtables SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
    )
    .bind(roundtable_id)
    .fetch_one(&mut **tx)
    .await?
    .get("last_seq");
    let payload = serde_json::to_string(event).map_err(|_| crate::error::AppError::Internal)?;
    sqlx::query(
        "INSERT INTO board_events (roundtable_id, seq, kind, payload, author_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(roundtable_id)
    .bind(seq)
    .bind(match event {
        BoardEvent::Note { .. } => "note",
        BoardEvent::NoteDeleted { .. } => "note_deleted",
        BoardEvent::Locked { .. } => "board",
    })
    .bind(payload)
    .bind(author_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// Where a column is: its board, whether that board is locked, its roundtable.
pub struct ColumnPlace {
    pub board_id: i64,
    pub locked: bool,
    pub roundtable_id: i64,
}

pub async fn column(db: &Db, column_id: i64) -> AppResult<Option<ColumnPlace>> {
    let row = sqlx::query(
        "SELECT b.id, b.locked, b.roundtable_id FROM board_columns c JOIN boards b ON b.id = c.board_id \
         WHERE c.id = $1",
    )
    .bind(column_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| ColumnPlace {
        board_id: r.get("id"),
        locked: r.get::<i64, _>("locked") == 1,
        roundtable_id: r.get("roundtable_id"),
    }))
}

/// A note's author and place.
pub struct NotePlace {
    pub author_id: i64,
    pub column_id: i64,
    pub place: ColumnPlace,
}

pub async fn note(db: &Db, note_id: i64) -> AppResult<Option<NotePlace>> {
    let row = sqlx::query(
        "SELECT n.author_id, n.column_id, b.id, b.locked, b.roundtable_id FROM board_notes n \
         JOIN boards b ON b.id = n.board_id WHERE n.id = $1",
    )
    .bind(note_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| NotePlace {
        author_id: r.get("author_id"),
        column_id: r.get("column_id"),
        place: ColumnPlace {
            board_id: r.get("id"),
            locked: r.get::<i64, _>("locked") == 1,
            roundtable_id: r.get("roundtable_id"),
        },
    }))
}

async fn author_name(tx: &mut Tx, user_id: i64) -> AppResult<String> {
    Ok(sqlx::query("SELECT display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?
        .get("display_name"))
}

/// Adds a note, unless the board was locked meanwhile (checked again in the
/// transaction). Returns the event number, or `None` if locked.
pub async fn add_note(
    db: &Db,
    column_id: i64,
    author_id: i64,
    body: &str,
) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let Some(r) = sqlx::query(
        "SELECT b.id, b.roundtable_id FROM board_columns c JOIN boards b ON b.id = c.board_id \
         WHERE c.id = $1 AND b.locked = 0",
    )
    .bind(column_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let (board_id, roundtable_id): (i64, i64) = (r.get("id"), r.get("roundtable_id"));
    let t = now();
    let id: i64 = sqlx::query(
        "INSERT INTO board_notes (board_id, column_id, author_id, body, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(board_id)
    .bind(column_id)
    .bind(author_id)
    .bind(body)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    let note = Note {
        id,
        column_id,
        body: body.to_string(),
        author: Some(author_name(&mut tx, author_id).await?),
        mine: false,
    };
    let seq = record(
        &mut tx,
        roundtable_id,
        &BoardEvent::Note { board_id, note },
        Some(author_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(seq))
}

/// Changes a note's text, unless its board was locked meanwhile.
pub async fn edit_note(
    db: &Db,
    note_id: i64,
    author_id: i64,
    body: &str,
) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let Some(r) = sqlx::query(
        "SELECT n.column_id, b.id, b.roundtable_id FROM board_notes n JOIN boards b ON b.id = n.board_id \
         WHERE n.id = $1 AND n.author_id = $2 AND b.locked = 0",
    )
    .bind(note_id)
    .bind(author_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    sqlx::query("UPDATE board_notes SET body = $1, updated_at = $2 WHERE id = $3")
        .bind(body)
        .bind(now())
        .bind(note_id)
        .execute(&mut *tx)
        .await?;
    let note = Note {
        id: note_id,
        column_id: r.get("column_id"),
        body: body.to_string(),
        author: Some(author_name(&mut tx, author_id).await?),
        mine: false,
    };
    let board_id: i64 = r.get("id");
    let seq = record(
        &mut tx,
        r.get("roundtable_id"),
        &BoardEvent::Note { board_id, note },
        Some(author_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(seq))
}

pub async fn delete_note(db: &Db, note_id: i64, author_id: i64) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let Some(r) = sqlx::query(
        "SELECT b.id, b.roundtable_id FROM board_notes n JOIN boards b ON b.id = n.board_id \
         WHERE n.id = $1 AND n.author_id = $2 AND b.locked = 0",
    )
    .bind(note_id)
    .bind(author_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM board_notes WHERE id = $1")
        .bind(note_id)
        .execute(&mut *tx)
        .await?;
    let event = BoardEvent::NoteDeleted {
        board_id: r.get("id"),
        note_id,
    };
    let seq = record(&mut tx, r.get("roundtable_id"), &event, Some(author_id)).await?;
    tx.commit().await?;
    Ok(Some(seq))
}

/// Locks or unlocks a board; `None` if there is no such board.
pub async fn set_locked(db: &Db, board_id: i64, locked: bool) -> AppResult<Option<(i64, i64)>> {
    let mut tx = db.begin_write().await?;
    let Some(r) =
        sqlx::query("UPDATE boards SET locked = $1 WHERE id = $2 RETURNING roundtable_id")
            .bind(locked as i64)
            .bind(board_id)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(None);
    };
    let roundtable_id: i64 = r.get("roundtable_id");
    let seq = record(
        &mut tx,
        roundtable_id,
        &BoardEvent::Locked { board_id, locked },
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Some((roundtable_id, seq)))
}

/// Both boards as of now, with the sequence number they include.
/// Read in one transaction so the notes and the number agree.
pub async fn snapshot(
    db: &Db,
    roundtable_id: i64,
    viewer: Option<i64>,
) -> AppResult<Option<Snapshot>> {
    let mut tx = db.pool.begin().await?;
    let Some(r) = sqlx::query("SELECT title, last_seq FROM roundtables WHERE id = $1")
        .bind(roundtable_id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let boards = sqlx::query(
        "SELECT id, number, locked FROM boards WHERE roundtable_id = $1 ORDER BY number",
    )
    .bind(roundtable_id)
    .fetch_all(&mut *tx)
    .await?;
    let columns = sqlx::query(
        "SELECT c.id, c.board_id, c.title FROM board_columns c JOIN boards b ON b.id = c.board_id \
         WHERE b.roundtable_id = $1 ORDER BY c.position, c.id",
    )
    .bind(roundtable_id)
    .fetch_all(&mut *tx)
    .await?;
    let notes = sqlx::query(
        "SELECT n.id, n.board_id, n.column_id, n.body, n.author_id, u.display_name FROM board_notes n \
         JOIN boards b ON b.id = n.board_id JOIN users u ON u.id = n.author_id \
         WHERE b.roundtable_id = $1 ORDER BY n.id",
    )
    .bind(roundtable_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let of_board = |rows: &[Row], board: i64| -> Vec<Row> {
        rows.iter()
            .filter(|r| r.get::<i64, _>("board_id") == board)
            .cloned()
            .collect()
    };
    let boards = boards
        .iter()
        .map(|b| {
            let id: i64 = b.get("id");
            Board {
                id,
                number: b.get("number"),
                locked: b.get::<i64, _>("locked") == 1,
                columns: of_board(&columns, id)
                    .iter()
                    .map(|c| Column {
                        id: c.get("id"),
                        title: c.get("title"),
                    })
                    .collect(),
                notes: of_board(&notes, id)
                    .iter()
                    .map(|n| Note {
                        id: n.get("id"),
                        column_id: n.get("column_id"),
                        body: n.get("body"),
                        author: Some(n.get("display_name")),
                        mine: viewer == Some(n.get::<i64, _>("author_id")),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Some(Snapshot {
        roundtable_id,
        title: r.get("title"),
        seq: r.get("last_seq"),
        boards,
        can_write: false,
        can_facilitate: false,
    }))
}

/// The events after `after`, in order (at most `REPLAY_MAX`), as `viewer` sees them.
pub async fn events_after(
    db: &Db,
    roundtable_id: i64,
    after: i64,
    viewer: Option<i64>,
) -> AppResult<Vec<Sequenced>> {
    let rows = sqlx::query(&format!(
        "SELECT seq, payload, author_id FROM board_events WHERE roundtable_id = $1 AND seq > $2 \
         ORDER BY seq LIMIT {REPLAY_MAX}"
    ))
    .bind(roundtable_id)
    .bind(after)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let mut event: BoardEvent =
                serde_json::from_str(&r.get::<String, _>("payload")).ok()?;
            if let BoardEvent::Note { note, .. } = &mut event {
                note.mine = viewer.is_some() && viewer == r.get::<Option<i64>, _>("author_id");
            }
            Some(Sequenced {
                seq: r.get("seq"),
                event,
            })
        })
        .collect())
}
