-- Stage 1b: proposals routed to agencies, their verdicts and public answers,
-- feasibility meetings, and in-app notifications.

-- Answers are published at once, or held and published together when the
-- feasibility stage closes.
ALTER TABLE processes ADD COLUMN answers_held INTEGER NOT NULL DEFAULT 0;

-- The language a person's notifications and emails are written in.
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'es-AR';

CREATE TABLE feasibility_assignments (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    -- 'returned': the agency ruled it outside its remit; 'reassigned': superseded.
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'answered', 'returned', 'reassigned')),
    due_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    assigned_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    assigned_at INTEGER NOT NULL,
    verdict TEXT CHECK (verdict IN ('feasible', 'partly_feasible', 'not_feasible', 'outside_remit')),
    willing INTEGER,
    public_answer TEXT NOT NULL DEFAULT '',
    private_notes TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    answered_at INTEGER,
    published_at INTEGER,
    -- Bumped on every change: a form sent with an older version is refused.
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX feasibility_assignments_active
    ON feasibility_assignments(proposal_id, agency_id) WHERE status <> 'reassigned';
CREATE INDEX feasibility_assignments_agency ON feasibility_assignments(agency_id, status, due_on);
CREATE INDEX feasibility_assignments_proposal ON feasibility_assignments(proposal_id);

-- Routing and verdicts join the proposal's history. A held answer stays out of
-- the public history until it is published.
ALTER TABLE proposal_events ADD COLUMN agency_id INTEGER REFERENCES agencies(id);
ALTER TABLE proposal_events ADD COLUMN assignment_id INTEGER REFERENCES feasibility_assignments(id) ON DELETE CASCADE;
ALTER TABLE proposal_events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE proposal_events ADD COLUMN public INTEGER NOT NULL DEFAULT 1;

CREATE TABLE feasibility_meetings (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    held_on TEXT NOT NULL,
    attendees TEXT NOT NULL,
    minutes TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX feasibility_meetings_agency ON feasibility_meetings(process_id, agency_id, held_on);

CREATE TABLE feasibility_meeting_proposals (
    meeting_id INTEGER NOT NULL REFERENCES feasibility_meetings(id) ON DELETE CASCADE,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, proposal_id)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- 'answer_published' (about a proposal) or 'proposals_assigned' (about a process).
    kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    -- Kept as it was, so the notification still reads right if the subject changes.
    subject_title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
