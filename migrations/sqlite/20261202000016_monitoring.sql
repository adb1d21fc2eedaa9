-- Monitoring: progress updates on the milestones of final commitments, filed by
-- the lead agencies (or the team), published by the team or sent back with a
-- reason. A published update is never rewritten: it is the milestone's history.
CREATE TABLE milestone_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    milestone_key TEXT NOT NULL,
    progress TEXT NOT NULL
        CHECK (progress IN ('no_evidence', 'not_started', 'limited', 'substantial', 'complete')),
    narrative TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'published', 'returned')),
    return_reason TEXT NOT NULL DEFAULT '',
    -- The agency it was filed for; NULL when the team filed it.
    agency_id INTEGER REFERENCES agencies(id),
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    reviewed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reviewed_at INTEGER,
    published_at INTEGER
);
CREATE INDEX milestone_updates_commitment ON milestone_updates(commitment_id, state, id);
CREATE INDEX milestone_updates_published ON milestone_updates(published_at);

-- Dated evidence of an update: a link, or a file kept under the files folder
-- (`stored_as`, a random name; never the name it was sent with).
CREATE TABLE update_evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id INTEGER NOT NULL REFERENCES milestone_updates(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    dated_on TEXT NOT NULL,
    url TEXT,
    file_name TEXT,
    content_type TEXT,
    size INTEGER,
    stored_as TEXT
);
CREATE INDEX update_evidence_update ON update_evidence(update_id);
