-- Moderation: reports on proposals and comments; proposals can be hidden too.
-- Every moderation action goes to audit_log.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('proposal', 'comment')),
    target_id INTEGER NOT NULL,
    reporter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'offensive', 'off_topic')),
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    UNIQUE (target_kind, target_id, reporter_id)
);
CREATE INDEX reports_open ON reports(resolved_at, target_kind, target_id);
ALTER TABLE proposals ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
