-- Stage 3 comment periods. Comments now also take commitment sheets: anchored to
-- a field or a milestone key, with the version they were made on. SQLite cannot
-- change a CHECK, so the table is rebuilt, keeping every row and index. sqlx runs
-- this in a transaction with foreign keys on, so the copy's replies point at the
-- copy itself (never at the old table, whose drop would cascade into them); the
-- rename then makes that reference `comments`. No other table references it.
CREATE TABLE comments_rebuilt (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('proposal', 'commitment')),
    subject_id INTEGER NOT NULL,
    parent_id INTEGER REFERENCES comments_rebuilt(id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL,
    depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 2),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    show_author_name INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    -- For a sheet: the field name or milestone key, and the version commented on.
    anchor TEXT,
    version INTEGER
);
INSERT INTO comments_rebuilt (id, subject_kind, subject_id, parent_id, thread_id, depth, author_id, body,
    show_author_name, hidden, created_at)
SELECT id, subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, show_author_name, hidden,
    created_at FROM comments;
DROP TABLE comments;
ALTER TABLE comments_rebuilt RENAME TO comments;
CREATE INDEX comments_subject ON comments(subject_kind, subject_id, depth, id);
CREATE INDEX comments_thread ON comments(thread_id, id);
CREATE INDEX comments_anchor ON comments(subject_kind, subject_id, anchor, id);

-- The comment period and the final publication of a sheet. `final_unanswered`
-- records how many comments were still unanswered when the team confirmed
-- publishing anyway.
ALTER TABLE commitments ADD COLUMN comment_version INTEGER;
ALTER TABLE commitments ADD COLUMN comment_opens_at INTEGER;
ALTER TABLE commitments ADD COLUMN comment_closes_at INTEGER;
ALTER TABLE commitments ADD COLUMN final_version INTEGER;
ALTER TABLE commitments ADD COLUMN final_at INTEGER;
ALTER TABLE commitments ADD COLUMN final_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE commitments ADD COLUMN final_unanswered INTEGER;

-- The team's reasoned response to each comment on a sheet.
CREATE TABLE comment_responses (
    comment_id INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL CHECK (outcome IN ('incorporated', 'partly', 'not_incorporated', 'out_of_scope')),
    reason TEXT NOT NULL,
    -- The version that incorporated it (incorporated or partly).
    version INTEGER,
    responder_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    responded_at INTEGER NOT NULL
);
CREATE INDEX comment_responses_commitment ON comment_responses(commitment_id, outcome);
