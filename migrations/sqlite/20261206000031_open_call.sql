-- The open call: a contact base people opt in to (confirmed by a mail, a
-- consent separate from any account) and the announcements sent to it. The
-- token is mailed in every announcement's unsubscribe link, so it is kept.
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    locale TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    -- When a confirmation was last mailed (at most one an hour).
    asked_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    unsubscribed_at INTEGER
);
-- An announcement goes to the subscribers up to `last_contact` when written
-- (`total` of them); `passed_contact` is how far the job got.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    stage TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    last_contact INTEGER NOT NULL,
    total INTEGER NOT NULL,
    passed_contact INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER
);
CREATE INDEX announcements_by_process ON announcements(process_id);
CREATE INDEX announcements_unfinished ON announcements(id) WHERE finished_at IS NULL;
-- One row per person reached: claimed before the mail is sent, so no one
-- gets an announcement twice.
CREATE TABLE announcement_deliveries (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    claimed_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed TEXT,
    PRIMARY KEY (announcement_id, contact_id)
);
CREATE INDEX announcement_deliveries_by_contact ON announcement_deliveries(contact_id);
