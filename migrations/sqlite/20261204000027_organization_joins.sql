-- People joining an organization: a request its representatives approve or
-- turn down, or an invitation a representative sends by email, taken up through
-- a personal link (only the token's hash is kept, and it is cleared once used).
CREATE TABLE organization_joins (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('request', 'invitation')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    -- Who asked (a request), or who took up the invitation.
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    -- An invitation's address (only the organization's representatives see it).
    email TEXT NOT NULL DEFAULT '',
    token_hash TEXT UNIQUE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE UNIQUE INDEX organization_joins_one_request
    ON organization_joins(organization_id, user_id) WHERE kind = 'request' AND status = 'pending';
CREATE UNIQUE INDEX organization_joins_one_invitation
    ON organization_joins(organization_id, email) WHERE kind = 'invitation' AND status = 'pending';
CREATE INDEX organization_joins_by_organization ON organization_joins(organization_id, status, created_at);
CREATE INDEX organization_joins_by_user ON organization_joins(user_id);
