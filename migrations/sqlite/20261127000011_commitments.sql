-- Stage 3: commitment sheets. Every save is a numbered version holding the whole
-- sheet (JSON of the OGP template's fields); the sheet row keeps the current
-- number, raised with a conditional UPDATE so two saves from the same version
-- never both win.
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    roundtable_id INTEGER REFERENCES roundtables(id) ON DELETE SET NULL,
    code TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'comment', 'final')),
    current_version INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (process_id, code)
);
CREATE INDEX commitments_roundtable ON commitments(roundtable_id);

CREATE TABLE commitment_versions (
    id INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    sheet TEXT NOT NULL,
    change_note TEXT NOT NULL DEFAULT '',
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (commitment_id, number)
);

-- The proposals a commitment came from.
CREATE TABLE commitment_proposals (
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    PRIMARY KEY (commitment_id, proposal_id)
);
