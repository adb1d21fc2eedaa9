-- Follow-up meetings on a commitment in monitoring, held with the participants:
-- when, how many came, which organizations were present, and the minutes. They
-- count as public meetings in the process's figures.
CREATE TABLE followup_meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    attendees INTEGER NOT NULL CHECK (attendees >= 0),
    organizations TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX followup_meetings_commitment ON followup_meetings(commitment_id, held_on);
