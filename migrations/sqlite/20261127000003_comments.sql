-- Threaded comments, shared by every module that takes comments (proposals now,
-- commitment sheets later). Three levels: a comment, a reply, a reply to a reply.
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('proposal')),
    subject_id INTEGER NOT NULL,
    parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    -- The top-level comment of the thread (its own id for a top-level comment).
    thread_id INTEGER NOT NULL,
    depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 2),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    show_author_name INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_subject ON comments(subject_kind, subject_id, depth, id);
CREATE INDEX comments_thread ON comments(thread_id, id);
