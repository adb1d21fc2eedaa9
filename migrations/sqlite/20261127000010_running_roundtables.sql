-- Running a roundtable and keeping its record: the phase it is in (part a, the
-- topic vote, part b, closed), a shared countdown, facilitator clusters of
-- notes, and attendance taken by the team.
ALTER TABLE roundtables ADD COLUMN phase TEXT NOT NULL DEFAULT 'part_a'
    CHECK (phase IN ('part_a', 'vote', 'part_b', 'closed'));
-- When the shared countdown ends, in UTC seconds; none when stopped.
ALTER TABLE roundtables ADD COLUMN timer_ends_at INTEGER;

CREATE TABLE board_clusters (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX board_clusters_board ON board_clusters(board_id, id);
ALTER TABLE board_notes ADD COLUMN cluster_id INTEGER REFERENCES board_clusters(id) ON DELETE SET NULL;

ALTER TABLE roundtable_registrations ADD COLUMN attended INTEGER NOT NULL DEFAULT 0;
