-- Stage 2: thematic roundtables, their presenting agencies and proposals, and
-- registrations with a waitlist.
CREATE TABLE roundtables (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    axis_id INTEGER REFERENCES process_axes(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Start in UTC seconds, and the offset it was scheduled in (minutes from UTC).
    starts_at INTEGER NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    duration_minutes INTEGER NOT NULL,
    video_url TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    -- Registered seats: changed only by a conditional UPDATE, so never above capacity.
    seats_taken INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX roundtables_process ON roundtables(process_id, starts_at);

CREATE TABLE roundtable_agencies (
    roundtable_id INTEGER NOT NULL REFERENCES roundtables(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (roundtable_id, agency_id)
);

CREATE TABLE roundtable_proposals (
    roundtable_id INTEGER NOT NULL REFERENCES roundtables(id) ON DELETE CASCADE,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (roundtable_id, proposal_id)
);

CREATE TABLE roundtable_registrations (
    id INTEGER PRIMARY KEY,
    roundtable_id INTEGER NOT NULL REFERENCES roundtables(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (roundtable_id, user_id)
);
CREATE INDEX roundtable_registrations_queue ON roundtable_registrations(roundtable_id, status, updated_at);

-- A mail may carry one attachment (a calendar file).
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment TEXT;
