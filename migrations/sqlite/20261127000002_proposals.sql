-- Stage 1: proposals submitted to a process, their supports and their public history.
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    axis_id INTEGER NOT NULL REFERENCES process_axes(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    organization_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    problem TEXT NOT NULL,
    solution TEXT NOT NULL,
    -- Consent to show the author's name publicly (Ley 25.326): off unless chosen.
    show_author_name INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'published' CHECK (state IN ('published', 'withdrawn')),
    supports_count INTEGER NOT NULL DEFAULT 0,
    -- Title, problem and solution lower-cased without accents, for full-text search.
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX proposals_process ON proposals(process_id, created_at);
CREATE INDEX proposals_supports ON proposals(process_id, supports_count);

CREATE VIRTUAL TABLE proposals_fts USING fts5(
    search_text, content = 'proposals', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO proposals_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
    INSERT INTO proposals_fts (proposals_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER proposals_fts_update AFTER UPDATE OF search_text ON proposals BEGIN
    INSERT INTO proposals_fts (proposals_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO proposals_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE proposal_supports (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

CREATE TABLE proposal_events (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    event TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX proposal_events_proposal ON proposal_events(proposal_id, at);
