-- Invitations by theme: the team invites organizations (picked by axis of
-- interest and sector) to a process or to one of its roundtables. Each gets a
-- mail with a personal link (only its hash is kept); the team follows each
-- invitation from sent to opened to registered.
CREATE TABLE theme_invitations (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    roundtable_id INTEGER REFERENCES roundtables(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    -- The mail in the outbox, to tell queued from sent.
    outbox_id INTEGER,
    sent_at INTEGER NOT NULL,
    opened_at INTEGER,
    registered_at INTEGER,
    registered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX theme_invitations_one_to_process
    ON theme_invitations(process_id, organization_id) WHERE roundtable_id IS NULL;
CREATE UNIQUE INDEX theme_invitations_one_to_roundtable
    ON theme_invitations(roundtable_id, organization_id) WHERE roundtable_id IS NOT NULL;
CREATE INDEX theme_invitations_by_organization ON theme_invitations(organization_id);
CREATE INDEX theme_invitations_by_user ON theme_invitations(registered_by);
