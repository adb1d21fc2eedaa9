-- Stage 2: the two boards of each roundtable, their notes, and the sequenced
-- events that browsers replay after a reconnect.

-- Board events are numbered per roundtable; the counter is taken with an UPDATE
-- in the writing transaction, so numbers are gapless and ordered.
ALTER TABLE roundtables ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;

CREATE TABLE boards (
    id INTEGER PRIMARY KEY,
    roundtable_id INTEGER NOT NULL REFERENCES roundtables(id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number IN (1, 2)),
    locked INTEGER NOT NULL DEFAULT 0,
    UNIQUE (roundtable_id, number)
);

CREATE TABLE board_columns (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX board_columns_board ON board_columns(board_id, position);

CREATE TABLE board_notes (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    column_id INTEGER NOT NULL REFERENCES board_columns(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX board_notes_board ON board_notes(board_id, column_id, id);

CREATE TABLE board_events (
    roundtable_id INTEGER NOT NULL REFERENCES roundtables(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    -- 'note' (added or changed), 'note_deleted', 'board'
    kind TEXT NOT NULL,
    -- JSON of what changed, as any viewer may see it.
    payload TEXT NOT NULL,
    -- Who caused it: never sent, used to tell each viewer "this is yours".
    author_id INTEGER,
    at INTEGER NOT NULL,
    PRIMARY KEY (roundtable_id, seq)
);
