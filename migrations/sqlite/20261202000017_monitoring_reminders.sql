-- Reminders to lead agencies: the cadence each process sets (monthly when
-- absent), and one row per agency and period sent, so no reminder goes twice
-- (the key holds across server instances).
CREATE TABLE monitoring_settings (
    process_id INTEGER PRIMARY KEY REFERENCES processes(id) ON DELETE CASCADE,
    reminder_days INTEGER NOT NULL CHECK (reminder_days BETWEEN 1 AND 365)
);
CREATE TABLE monitoring_reminders (
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    -- Days since 1970-01-01 divided by the cadence: the reminder's period.
    period INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (process_id, agency_id, period)
);
