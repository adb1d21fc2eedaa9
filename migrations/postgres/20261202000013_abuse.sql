-- Login attempts, counted atomically: one row per key (an account at an address,
-- or an address), raised by a single upsert before the password is checked, so
-- parallel attempts cannot all pass the limit. A successful sign-in gives its
-- attempt back. Replaces login_failures, which was counted before it was written.
CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL
);
DROP TABLE login_failures;

-- A note's earlier events are dropped when it changes (see boards::store::record).
CREATE INDEX board_events_note ON board_events(note_id);
