//! (ssr) SQL for boards and their events. Each change and its event are written
//! in one transaction that takes the roundtable's next sequence number, so the
//! events are gapless and in the order the changes were made.
use super::model::*;
use crate::db::{now, Db, Row, Tx};
use crate::error::AppResult;
use crate::i18n::Locale;
use sqlx::Row as _;
use std::sync::Arc;

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

/// Takes the next event number and records the event; `private_to` limits it
/// to that person (and the team).
pub(super) async fn record(
    tx: &mut Tx,
    roundtable_id: i64,
    event: &BoardEvent,
    author_id: Option<i64>,
    private_to: Option<i64>,
) -> AppResult<i64> {
    let seq = next_seq(tx, roundtable_id).await?;
    record_as(tx, roundtable_id, seq, event, author_id, private_to).await?;
    Ok(seq)
}

/// Takes the roundtable's next event number. The row stays locked until the
/// transaction ends, so its events commit in the order of their numbers, and
/// what the transaction reads after this includes every event before it.
pub(super) async fn next_seq(tx: &mut Tx, roundtable_id: i64) -> AppResult<i64> {
    Ok(sqlx::query(
        "UPDATE roundtables SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
    )
    .bind(roundtable_id)
    .fetch_one(&mut **tx)
    .await?
    .get("last_seq"))
}

/// Records the event under `seq`, taken by `next_seq` in the same transaction.
pub(super) async fn record_as(
    tx: &mut Tx,
    roundtable_id: i64,
    seq: i64,
    event: &BoardEvent,
    author_id: Option<i64>,
    private_to: Option<i64>,
) -> AppResult<()> {
    let note_id = match event {
        BoardEvent::Note { note, .. } => Some(note.id),
        BoardEvent::NoteDeleted { note_id, .. } => Some(*note_id),
        _ => None,
    };
    let payload = serde_json::to_string(event).map_err(|_| crate::error::AppError::Internal)?;
    sqlx::query(
        "INSERT INTO board_events (roundtable_id, seq, kind, payload, author_id, private_to, note_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(roundtable_id)
    .bind(seq)
    .bind(match event {
        BoardEvent::Note { .. } => "note",
        BoardEvent::NoteDeleted { .. } => "note_deleted",
        BoardEvent::Controls { .. } => "board",
        BoardEvent::Vote { .. } => "vote",
        BoardEvent::Tally { .. } => "tally",
        BoardEvent::Columns { .. } => "columns",
        BoardEvent::Cluster { .. } => "cluster",
        BoardEvent::Phase { .. } => "phase",
        BoardEvent::Timer { .. } => "timer",
    })
    .bind(payload)
    .bind(author_id)
    .bind(private_to)
    .bind(note_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    // A note's latest event says all there is to say of it: its earlier events
    // (earlier text, or text since deleted or hidden) are dropped, so no replay
    // can send them again.
    if let Some(note_id) = note_id {
        sqlx::query(
            "DELETE FROM board_events WHERE roundtable_id = $1 AND note_id = $2 AND seq < $3",
        )
        .bind(roundtable_id)
        .bind(note_id)
        .bind(seq)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A note as its event carries it (author left out when written anonymously),
/// with its board, roundtable, author and who alone may receive it.
struct NoteRecord {
    board_id: i64,
    roundtable_id: i64,
    author_id: i64,
    private_to: Option<i64>,
    note: Note,
}

async fn note_record(tx: &mut Tx, note_id: i64) -> AppResult<NoteRecord> {
    let r = sqlx::query(
        "SELECT n.id, n.board_id, n.column_id, n.body, n.author_id, n.revealed, n.anonymous, n.hidden, \
         n.cluster_id, b.roundtable_id, u.display_name, u.show_name_on_boards FROM board_notes n JOIN boards b ON b.id = n.board_id \
         JOIN users u ON u.id = n.author_id WHERE n.id = $1",
    )
    .bind(note_id)
    .fetch_one(&mut **tx)
    .await?;
    let author_id: i64 = r.get("author_id");
    let private = r.get::<i64, _>("revealed") == 0;
    Ok(NoteRecord {
        board_id: r.get("board_id"),
        roundtable_id: r.get("roundtable_id"),
        author_id,
        private_to: private.then_some(author_id),
        note: note_of(&r, Viewer::default()),
    })
}

/// A note row as `viewer` may see it (the caller has checked they may see it).
fn note_of(r: &Row, viewer: Viewer) -> Note {
    let author_id: i64 = r.get("author_id");
    Note {
        id: r.get("id"),
        column_id: r.get("column_id"),
        body: r.get("body"),
        // The name only if its author chose to show it, and never in anonymous mode.
        author: (r.get::<i64, _>("anonymous") == 0 && r.get::<i64, _>("show_name_on_boards") == 1)
            .then(|| r.get("display_name")),
        mine: viewer.id == Some(author_id),
        private: r.get::<i64, _>("revealed") == 0,
        hidden: r.get::<i64, _>("hidden") == 1,
        cluster_id: r.get("cluster_id"),
    }
}

/// Whether `viewer` may receive a note at all.
fn may_see(r: &Row, viewer: Viewer) -> bool {
    let own = viewer.id == Some(r.get::<i64, _>("author_id"));
    viewer.team || (r.get::<i64, _>("hidden") == 0 && (r.get::<i64, _>("revealed") == 1 || own))
}

/// A note of one board as anyone may read it, with its column's place on the
/// board (from 0, in the board's order) and title.
pub struct ColumnNote {
    pub column: usize,
    pub column_title: String,
    pub id: i64,
    pub body: String,
}

/// Board `number`'s notes as anyone may read them (`may_see` for no one in
/// particular), column by column, in one query: what a sheet shows of where it
/// came from, without the whole roundtable's snapshot.
pub async fn public_notes(db: &Db, roundtable_id: i64, number: i64) -> AppResult<Vec<ColumnNote>> {
    let rows = sqlx::query(
        "SELECT c.id AS column_id, c.title, n.id, n.body, n.author_id, n.hidden, n.revealed \
         FROM boards b JOIN board_columns c ON c.board_id = b.id \
         LEFT JOIN board_notes n ON n.column_id = c.id \
         WHERE b.roundtable_id = $1 AND b.number = $2 ORDER BY c.position, c.id, n.id",
    )
    .bind(roundtable_id)
    .bind(number)
    .fetch_all(&db.pool)
    .await?;
    let mut notes = Vec::new();
    let mut column: Option<(usize, i64)> = None;
    for r in &rows {
        let column_id: i64 = r.get("column_id");
        let position = match column {
            Some((at, id)) if id == column_id => at,
            Some((at, _)) => at + 1,
            None => 0,
        };
        column = Some((position, column_id));
        // A column without notes comes once, with none.
        if r.get::<Option<i64>, _>("id").is_some() && may_see(r, Viewer::default()) {
            notes.push(ColumnNote {
                column: position,
                column_title: r.get("title"),
                id: r.get("id"),
                body: r.get("body"),
            });
        }
    }
    Ok(notes)
}

/// Records the current state of a note as an event.
pub(super) async fn record_note(tx: &mut Tx, note_id: i64) -> AppResult<i64> {
    let n = note_record(tx, note_id).await?;
    let event = BoardEvent::Note {
        board_id: n.board_id,
        note: n.note,
    };
    record(tx, n.roundtable_id, &event, Some(n.author_id), n.private_to).await
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

/// Adds a note, unless the board was locked meanwhile (checked again in the
/// transaction). Under private writing it stays with its author until revealed;
/// in anonymous mode it never carries its author. A `key` the same person sent
/// before adds nothing (see `first_receipt`).
pub async fn add_note(
    db: &Db,
    column_id: i64,
    author_id: i64,
    body: &str,
    key: Option<&str>,
) -> AppResult<NoteAdded> {
    let mut tx = db.begin_write().await?;
    let Some(r) = sqlx::query(
        "SELECT b.id, b.roundtable_id, b.locked, b.private_writing, b.anonymous FROM board_columns c \
         JOIN boards b ON b.id = c.board_id WHERE c.id = $1",
    )
    .bind(column_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(NoteAdded::Locked);
    };
    // The receipt first: a note sent again after its board was locked was
    // still posted the first time.
    if !first_receipt(&mut tx, r.get("roundtable_id"), author_id, key).await? {
        return Ok(NoteAdded::Again);
    }
    if r.get::<i64, _>("locked") != 0 {
        return Ok(NoteAdded::Locked);
    }
    // A board holds a bounded number of notes, so that its snapshot is bounded too.
    let held: i64 = sqlx::query("SELECT COUNT(*) AS n FROM board_notes WHERE board_id = $1")
        .bind(r.get::<i64, _>("id"))
        .fetch_one(&mut *tx)
        .await?
        .get("n");
    if held >= NOTES_MAX {
        return Err(crate::error::AppError::refused("board.full"));
    }
    let t = now();
    let id: i64 = sqlx::query(
        "INSERT INTO board_notes (board_id, column_id, author_id, body, revealed, anonymous, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(r.get::<i64, _>("id"))
    .bind(column_id)
    .bind(author_id)
    .bind(body)
    .bind(1 - r.get::<i64, _>("private_writing"))
    .bind(r.get::<i64, _>("anonymous"))
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    record_note(&mut tx, id).await?;
    tx.commit().await?;
    Ok(NoteAdded::Added(id))
}

/// What came of adding a note.
#[derive(Debug, PartialEq, Eq)]
pub enum NoteAdded {
    Added(i64),
    /// The same person sent the same key before: that note stands.
    Again,
    /// The board was locked meanwhile (or the column is gone).
    Locked,
}

/// Keeps the key a page gave a write it may send again (a note or a dot made
/// while its connection was down): true the first time (or with no key), false
/// when the same person sent that key before and the write must not be done
/// again. Part of the write's transaction, so a refused write keeps no receipt.
pub(super) async fn first_receipt(
    tx: &mut Tx,
    roundtable_id: i64,
    user_id: i64,
    key: Option<&str>,
) -> AppResult<bool> {
    let Some(key) = key else {
        return Ok(true);
    };
    let kept = sqlx::query(
        "INSERT INTO board_receipts (user_id, client_key, roundtable_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(roundtable_id)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(kept == 1)
}

/// Changes a note's text, unless its board was locked meanwhile or it was hidden.
pub async fn edit_note(
    db: &Db,
    note_id: i64,
    author_id: i64,
    body: &str,
) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE board_notes SET body = $1, updated_at = $2 WHERE id = $3 AND author_id = $4 AND hidden = 0 \
         AND board_id IN (SELECT id FROM boards WHERE locked = 0)",
    )
    .bind(body)
    .bind(now())
    .bind(note_id)
    .bind(author_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(None);
    }
    let seq = record_note(&mut tx, note_id).await?;
    tx.commit().await?;
    Ok(Some(seq))
}

/// Takes a note off the board: deleted by its author (`by_author`), or hidden by
/// a facilitator (kept, for the team only). `None` if the board is locked (for
/// authors) or there is no such note.
pub async fn remove_note(db: &Db, note_id: i64, by_author: Option<i64>) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let n = match sqlx::query(
        "SELECT n.id FROM board_notes n JOIN boards b ON b.id = n.board_id \
         WHERE n.id = $1 AND ($2 = 0 OR (n.author_id = $2 AND b.locked = 0))",
    )
    .bind(note_id)
    .bind(by_author.unwrap_or(0))
    .fetch_optional(&mut *tx)
    .await?
    {
        Some(_) => note_record(&mut tx, note_id).await?,
        None => return Ok(None),
    };
    let sql = if by_author.is_some() {
        "DELETE FROM board_notes WHERE id = $1"
    } else {
        "UPDATE board_notes SET hidden = 1 WHERE id = $1"
    };
    sqlx::query(sql).bind(note_id).execute(&mut *tx).await?;
    let event = BoardEvent::NoteDeleted {
        board_id: n.board_id,
        note_id,
    };
    let seq = record(
        &mut tx,
        n.roundtable_id,
        &event,
        Some(n.author_id),
        n.private_to,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(seq))
}

/// A facilitator control of a board.
#[derive(Clone, Copy)]
pub enum Control {
    Locked,
    PrivateWriting,
    Anonymous,
}

/// Sets a control; turning private writing off reveals the notes written under
/// it, each as a new event for everyone. `None` if there is no such board.
pub async fn set_control(
    db: &Db,
    board_id: i64,
    control: Control,
    on: bool,
) -> AppResult<Option<i64>> {
    let column = match control {
        Control::Locked => "locked",
        Control::PrivateWriting => "private_writing",
        Control::Anonymous => "anonymous",
    };
    let mut tx = db.begin_write().await?;
    let Some(r) = sqlx::query(&format!(
        "UPDATE boards SET {column} = $1 WHERE id = $2 \
         RETURNING roundtable_id, locked, private_writing, anonymous"
    ))
    .bind(on as i64)
    .bind(board_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let roundtable_id: i64 = r.get("roundtable_id");
    if matches!(control, Control::PrivateWriting) && !on {
        let hidden: Vec<i64> = sqlx::query(
            "SELECT id FROM board_notes WHERE board_id = $1 AND revealed = 0 AND hidden = 0 ORDER BY id",
        )
        .bind(board_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|n| n.get("id"))
        .collect();
        sqlx::query("UPDATE board_notes SET revealed = 1 WHERE board_id = $1 AND revealed = 0")
            .bind(board_id)
            .execute(&mut *tx)
            .await?;
        for id in hidden {
            record_note(&mut tx, id).await?;
        }
    }
    let event = BoardEvent::Controls {
        board_id,
        locked: r.get::<i64, _>("locked") == 1,
        private_writing: r.get::<i64, _>("private_writing") == 1,
        anonymous: r.get::<i64, _>("anonymous") == 1,
    };
    record(&mut tx, roundtable_id, &event, None, None).await?;
    tx.commit().await?;
    Ok(Some(roundtable_id))
}

/// Both boards as of now, with the sequence number they include.
/// Read in one transaction so the notes and the number agree.
pub async fn snapshot(db: &Db, roundtable_id: i64, viewer: Viewer) -> AppResult<Option<Snapshot>> {
    let mut tx = db.pool.begin().await?;
    let Some(r) =
        sqlx::query("SELECT title, last_seq, phase, timer_ends_at FROM roundtables WHERE id = $1")
            .bind(roundtable_id)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(None);
    };
    let boards = sqlx::query(
        "SELECT id, number, locked, private_writing, anonymous FROM boards \
         WHERE roundtable_id = $1 ORDER BY number",
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
    let clusters = sqlx::query(
        "SELECT c.id, c.board_id, c.label FROM board_clusters c JOIN boards b ON b.id = c.board_id \
         WHERE b.roundtable_id = $1 ORDER BY c.id",
    )
    .bind(roundtable_id)
    .fetch_all(&mut *tx)
    .await?;
    let notes = sqlx::query(
        "SELECT n.id, n.board_id, n.column_id, n.body, n.author_id, n.revealed, n.anonymous, n.hidden, \
         n.cluster_id, u.display_name, u.show_name_on_boards FROM board_notes n \
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
                private_writing: b.get::<i64, _>("private_writing") == 1,
                anonymous: b.get::<i64, _>("anonymous") == 1,
                columns: of_board(&columns, id)
                    .iter()
                    .map(|c| Column {
                        id: c.get("id"),
                        title: c.get("title"),
                    })
                    .collect(),
                clusters: of_board(&clusters, id)
                    .iter()
                    .map(|c| Cluster {
                        id: c.get("id"),
                        label: c.get("label"),
                    })
                    .collect(),
                notes: of_board(&notes, id)
                    .iter()
                    .filter(|n| may_see(n, viewer))
                    .map(|n| note_of(n, viewer))
                    .collect(),
            }
        })
        .collect();
    Ok(Some(Snapshot {
        roundtable_id,
        title: r.get("title"),
        seq: r.get("last_seq"),
        phase: Phase::parse(&r.get::<String, _>("phase")).unwrap_or_default(),
        timer_left: r
            .get::<Option<i64>, _>("timer_ends_at")
            .map(|end| end - now())
            .filter(|left| *left > 0),
        boards,
        can_write: false,
        can_facilitate: false,
    }))
}

/// An event as stored, with what it sends, before it is filtered for a viewer.
/// Read once for every stream of a roundtable, so each stream only picks its text.
#[derive(Clone, Debug)]
pub struct EventRow {
    seq: i64,
    is_note: bool,
    author_id: Option<i64>,
    private_to: Option<i64>,
    /// The note it is about was deleted since, or hidden since.
    note_gone: bool,
    note_hidden: bool,
    /// The `Sequenced` JSON sent to everyone but the author, and (a note) to its
    /// author, with `mine` set; none for a payload that no longer reads.
    sent: Option<(Arc<str>, Option<Arc<str>>)>,
}

/// What an event sends: to others, and (a note) to its author. A note's author
/// name goes only while they still let it show (they may have stopped since).
fn sent(seq: i64, payload: &str, author_named: bool) -> Option<(Arc<str>, Option<Arc<str>>)> {
    let mut e = Sequenced {
        seq,
        event: serde_json::from_str(payload).ok()?,
    };
    let text = |e: &Sequenced| serde_json::to_string(e).ok().map(Arc::<str>::from);
    let BoardEvent::Note { note, .. } = &mut e.event else {
        return Some((text(&e)?, None));
    };
    if !author_named {
        note.author = None;
    }
    note.mine = false;
    let to_others = text(&e)?;
    if let BoardEvent::Note { note, .. } = &mut e.event {
        note.mine = true;
    }
    Some((to_others, Some(text(&e)?)))
}

/// The events after `after`, in order (at most `REPLAY_MAX`), as stored.
pub async fn event_rows(db: &Db, roundtable_id: i64, after: i64) -> AppResult<Vec<EventRow>> {
    let rows = sqlx::query(&format!(
        "SELECT e.seq, e.kind, e.payload, e.author_id, e.private_to, n.id AS live_note, n.hidden, \
         u.show_name_on_boards FROM board_events e LEFT JOIN board_notes n ON n.id = e.note_id \
         LEFT JOIN users u ON u.id = e.author_id \
         WHERE e.roundtable_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT {REPLAY_MAX}"
    ))
    .bind(roundtable_id)
    .bind(after)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let seq = r.get("seq");
            let named = r.get::<Option<i64>, _>("show_name_on_boards") == Some(1);
            EventRow {
                seq,
                is_note: r.get::<String, _>("kind") == "note",
                author_id: r.get("author_id"),
                private_to: r.get("private_to"),
                note_gone: r.get::<Option<i64>, _>("live_note").is_none(),
                note_hidden: r.get::<Option<i64>, _>("hidden") == Some(1),
                sent: sent(seq, &r.get::<String, _>("payload"), named),
            }
        })
        .collect())
}

/// The events of `rows` that `viewer` may see, as (number, `Sequenced` JSON),
/// and the last number looked at (events for others are skipped).
pub fn visible(rows: &[EventRow], after: i64, viewer: Viewer) -> (Vec<(i64, Arc<str>)>, i64) {
    let scanned = rows.last().map(|r| r.seq).unwrap_or(after);
    let events = rows
        .iter()
        .filter(|r| may_receive(r, viewer))
        .filter_map(|r| {
            let (to_others, to_author) = r.sent.as_ref()?;
            let authors = viewer.id.is_some() && viewer.id == r.author_id;
            let text = match to_author {
                Some(mine) if authors => mine,
                _ => to_others,
            };
            Some((r.seq, text.clone()))
        })
        .collect();
    (events, scanned)
}

/// Whether an event may go to `viewer`: a note written in private goes to
/// its author and the team only, and the text of a note deleted or hidden since
/// is not sent again.
fn may_receive(r: &EventRow, viewer: Viewer) -> bool {
    if let Some(only) = r.private_to {
        if viewer.id != Some(only) && !viewer.team {
            return false;
        }
    }
    !(r.is_note && (r.note_gone || (r.note_hidden && !viewer.team)))
}

/// (privacy) The notes a person wrote on boards and the dots they cast. (A
/// deleted account's notes stay on the record; their name already shows only
/// while the person lets it, and a deleted account does not.)
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let notes = sqlx::query(
        "SELECT n.id, b.roundtable_id, b.number AS board, n.body, n.hidden, n.anonymous, \
         n.created_at, n.updated_at FROM board_notes n JOIN boards b ON b.id = n.board_id \
         WHERE n.author_id = $1 ORDER BY n.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let dots = sqlx::query(
        "SELECT o.label AS topic, d.created_at FROM vote_dots d JOIN vote_options o ON o.id = d.option_id \
         WHERE d.user_id = $1 ORDER BY d.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::json!({
        "notes": crate::db::rows_json(&notes),
        "vote_dots": crate::db::rows_json(&dots),
    }))
}

/// (privacy) A deleted account's notes stay on the record, and their events are
/// written again without the name (the earlier ones, which may carry it, go).
/// Runs after the account was emptied, in the deletion's transaction.
pub async fn forget(tx: &mut Tx, user_id: i64) -> AppResult<()> {
    let notes: Vec<i64> = sqlx::query("SELECT id FROM board_notes WHERE author_id = $1")
        .bind(user_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect();
    for note in notes {
        record_note(tx, note).await?;
    }
    Ok(())
}

/// (evaluation) Every note on a process's boards, private (not yet revealed)
/// and hidden ones included; the author's name unless written anonymously.
pub const EVALUATOR_DATA: &[(&str, &str)] = &[(
    "notas_tableros",
    "SELECT n.id, b.roundtable_id, b.number AS board, c.title AS column_title, n.body, \
     CASE WHEN n.revealed = 0 THEN 1 ELSE 0 END AS private, n.hidden, n.anonymous, \
     CASE WHEN n.anonymous = 0 THEN u.display_name END AS author, n.created_at, n.updated_at \
     FROM board_notes n JOIN boards b ON b.id = n.board_id JOIN board_columns c ON c.id = n.column_id \
     JOIN roundtables r ON r.id = b.roundtable_id JOIN users u ON u.id = n.author_id \
     WHERE r.process_id = $1 ORDER BY b.roundtable_id, b.number, c.position, n.id",
)];

/// (open data) The notes of a process's boards as anyone may read them: none
/// hidden or still private, the author's name only if they chose to show it
/// and never in anonymous mode; and each topic vote's results once shown.
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, optional, Dataset, Filter, Kind::*, Source};
    &[
        Dataset {
            name: "board_notes",
            fields: &[
                field("id", Integer),
                field("roundtable_id", Integer),
                field("board", Integer),
                field("column_title", Text),
                optional("cluster", Text),
                field("body", Text),
                optional("author", Text),
                field("created_at", DateTime),
                field("updated_at", DateTime),
            ],
            filters: &[
                Filter::Id {
                    param: "roundtable",
                    column: "roundtable_id",
                },
                Filter::Id {
                    param: "board",
                    column: "board",
                },
            ],
            modified: "updated_at",
            source: Source::Sql(
                "SELECT n.id, b.roundtable_id, b.number AS board, c.title AS column_title, \
                 k.label AS cluster, n.body, \
                 CASE WHEN n.anonymous = 0 AND u.show_name_on_boards = 1 THEN u.display_name END AS author, \
                 n.created_at, n.updated_at FROM board_notes n JOIN boards b ON b.id = n.board_id \
                 JOIN board_columns c ON c.id = n.column_id LEFT JOIN board_clusters k ON k.id = n.cluster_id \
                 JOIN roundtables r ON r.id = b.roundtable_id JOIN users u ON u.id = n.author_id \
                 WHERE r.process_id = $1 AND n.revealed = 1 AND n.hidden = 0",
            ),
        },
        Dataset {
            name: "vote_results",
            fields: &[
                field("id", Integer),
                field("roundtable_id", Integer),
                field("topic", Text),
                optional("dots", Integer),
                field("chosen", Boolean),
                field("opened_at", DateTime),
                optional("closed_at", DateTime),
            ],
            filters: &[Filter::Id {
                param: "roundtable",
                column: "roundtable_id",
            }],
            modified: "closed_at",
            source: Source::Sql(
                // The options always, as on the board; their dots once shown.
                "SELECT o.id, v.roundtable_id, o.label AS topic, \
                 CASE WHEN v.closed_at IS NOT NULL OR v.show_live = 1 THEN \
                 (SELECT COUNT(*) FROM vote_dots d WHERE d.option_id = o.id) END AS dots, \
                 CASE WHEN r.chosen_topic = o.label THEN 1 ELSE 0 END AS chosen, v.opened_at, v.closed_at \
                 FROM vote_options o JOIN topic_votes v ON v.id = o.vote_id \
                 JOIN roundtables r ON r.id = v.roundtable_id WHERE r.process_id = $1",
            ),
        },
    ]
};
