-- Reminders to lead agencies: the cadence each process sets (monthly when
-- absent), and one row per agency and period sent, so no reminder goes twice
-- (the key holds across server instances).
CREATE TABLE monitoring_settings (
    process_id BIGINT PRIMARY KEY REFERENCES processes(id) ON DELETE CASCADE,
    reminder_days BIGINT NOT NULL CHECK (reminder_days BETWEEN 1 AND 365)
);
CREATE TABLE monitoring_reminders (
    process_id BIGINT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    agency_id BIGINT NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    -- Days since 1970-01-01 divided by the cadence: the reminder's period.
    period BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (process_id, agency_id, period)
);
