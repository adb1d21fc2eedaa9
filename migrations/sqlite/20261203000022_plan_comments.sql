-- The published action plan takes public comments: comments gain the 'plan'
-- subject (a process, once its plan has a final sheet). SQLite cannot change a
-- CHECK, so `comments` is rebuilt as in the comment-period migration, now with
-- AUTOINCREMENT (an id is never reused). Dropping the old table would take the
-- team's responses to sheet comments with it (they reference it, on delete
-- cascade), so they are set aside first and put back once the new table has
-- every row.
CREATE TABLE comment_responses_kept AS SELECT * FROM comment_responses;
CREATE TABLE comments_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('proposal', 'commitment', 'plan')),
    subject_id INTEGER NOT NULL,
    parent_id INTEGER REFERENCES comments_rebuilt(id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL,
    depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 2),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    show_author_name INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    anchor TEXT,
    version INTEGER
);
INSERT INTO comments_rebuilt (id, subject_kind, subject_id, parent_id, thread_id, depth, author_id, body,
    show_author_name, hidden, created_at, anchor, version)
SELECT id, subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, show_author_name, hidden,
    created_at, anchor, version FROM comments ORDER BY id;
DROP TABLE comments;
ALTER TABLE comments_rebuilt RENAME TO comments;
CREATE INDEX comments_subject ON comments(subject_kind, subject_id, depth, id);
CREATE INDEX comments_thread ON comments(thread_id, id);
CREATE INDEX comments_anchor ON comments(subject_kind, subject_id, anchor, id);
INSERT INTO comment_responses SELECT * FROM comment_responses_kept;
DROP TABLE comment_responses_kept;
