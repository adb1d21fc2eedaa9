-- Proposals carried over to a later co-creation instance: the new proposal is
-- a copy in the later process, linked to the one it continues. A proposal is
-- carried into a process once (the primary key), however many times asked.
CREATE TABLE proposal_carryovers (
    from_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    to_process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL UNIQUE REFERENCES proposals(id) ON DELETE CASCADE,
    carried_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    carried_at INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_process_id)
);
