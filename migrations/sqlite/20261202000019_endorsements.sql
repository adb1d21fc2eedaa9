-- Endorsements of a final plan by non-governmental stakeholders: one per
-- organization and plan; a withdrawal keeps the row out of the public list.
CREATE TABLE endorsements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    -- Who endorsed (NULL once their account is deleted), and the name and role
    -- they published.
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    person TEXT NOT NULL,
    role TEXT NOT NULL,
    endorsed_at INTEGER NOT NULL,
    withdrawn_at INTEGER,
    UNIQUE (process_id, organization_id)
);
CREATE INDEX endorsements_user ON endorsements(user_id);
