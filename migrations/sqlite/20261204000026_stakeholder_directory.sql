-- The stakeholder directory: organizations that registered themselves, what
-- they tell the public about themselves, a contact only the team reads, and
-- the team's decision. Only approved entries are listed publicly.
CREATE TABLE directory_entries (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    territory TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    -- Why the team did not approve it, told to the one who registered it.
    reason TEXT NOT NULL DEFAULT '',
    registered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    registered_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decided_at INTEGER
);
CREATE INDEX directory_entries_by_status ON directory_entries(status, organization_id);
CREATE INDEX directory_entries_registered_by ON directory_entries(registered_by);

-- The thematic axes an organization works on (its interests).
CREATE TABLE directory_interests (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    axis_id INTEGER NOT NULL REFERENCES process_axes(id) ON DELETE CASCADE,
    PRIMARY KEY (organization_id, axis_id)
);
CREATE INDEX directory_interests_by_axis ON directory_interests(axis_id, organization_id);
