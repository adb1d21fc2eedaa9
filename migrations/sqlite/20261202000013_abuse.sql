-- Login attempts, counted atomically: one row per key (an account at an address,
-- or an address), raised by a single upsert before the password is checked, so
-- parallel attempts cannot all pass the limit. A successful sign-in gives its
-- attempt back. Replaces login_failures, which was counted before it was written.
CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    attempts INTEGER NOT NULL
);
DROP TABLE login_failures;

-- Board notes are deleted by their authors, and events name notes by id: an id
-- must never come back for another note (an old event would speak of it).
-- SQLite reuses the largest rowid after a delete unless the table is
-- AUTOINCREMENT, so the table is rebuilt as one (nothing references it).
CREATE TABLE board_notes_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    column_id INTEGER NOT NULL REFERENCES board_columns(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    revealed INTEGER NOT NULL DEFAULT 1,
    anonymous INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    cluster_id INTEGER REFERENCES board_clusters(id) ON DELETE SET NULL
);
INSERT INTO board_notes_rebuilt (id, board_id, column_id, author_id, body, created_at, updated_at,
    revealed, anonymous, hidden, cluster_id)
SELECT id, board_id, column_id, author_id, body, created_at, updated_at, revealed, anonymous, hidden,
    cluster_id FROM board_notes;
DROP TABLE board_notes;
ALTER TABLE board_notes_rebuilt RENAME TO board_notes;
CREATE INDEX board_notes_board ON board_notes(board_id, column_id, id);
-- Start past every id an event ever named (a note deleted before this had the
-- largest id, perhaps).
DELETE FROM sqlite_sequence WHERE name = 'board_notes';
INSERT INTO sqlite_sequence (name, seq) VALUES ('board_notes', MAX(
    (SELECT COALESCE(MAX(id), 0) FROM board_notes),
    (SELECT COALESCE(MAX(note_id), 0) FROM board_events)));

-- A note's earlier events are dropped when it changes (see boards::store::record).
CREATE INDEX board_events_note ON board_events(note_id);
