-- Proposals carried over to a later co-creation instance: the new proposal is
-- a copy in the later process, linked to the one it continues. A proposal is
-- carried into a process once (the primary key), however many times asked.
CREATE TABLE proposal_carryovers (
    from_id BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    to_process_id BIGINT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    to_id BIGINT NOT NULL UNIQUE REFERENCES proposals(id) ON DELETE CASCADE,
    carried_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    carried_at BIGINT NOT NULL,
    PRIMARY KEY (from_id, to_process_id)
);
