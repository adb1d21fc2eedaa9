-- The independent monitoring body of a process (the reference plan's
-- university): people the team appoints, who read everything of that process
-- and publish an evaluation of each commitment on the IRM's scales.
CREATE TABLE process_evaluators (
    process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The body they evaluate for, as published with its evaluations.
    body TEXT NOT NULL,
    appointed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    appointed_at INTEGER NOT NULL,
    PRIMARY KEY (process_id, user_id)
);
CREATE INDEX process_evaluators_user ON process_evaluators(user_id);

-- One evaluation per commitment, kept as a draft until published; publishing
-- again replaces it (the date says when).
CREATE TABLE commitment_evaluations (
    commitment_id INTEGER PRIMARY KEY REFERENCES commitments(id) ON DELETE CASCADE,
    evaluator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    verifiable INTEGER NOT NULL,
    potential TEXT NOT NULL CHECK (potential IN ('unclear', 'modest', 'substantial')),
    completion TEXT NOT NULL
        CHECK (completion IN ('no_evidence', 'not_started', 'limited', 'substantial', 'complete')),
    opened_government TEXT NOT NULL
        CHECK (opened_government IN ('worsened', 'did_not_change', 'marginal', 'major', 'outstanding')),
    reasoning TEXT NOT NULL,
    published_at INTEGER,
    updated_at INTEGER NOT NULL
);
