-- The collaborative topic vote of a roundtable: dots on candidate topics, with a
-- per-person limit kept by a counter row per voter (a conditional UPDATE, so
-- concurrent clicks never exceed it), and the chosen topic.
ALTER TABLE roundtables ADD COLUMN chosen_topic TEXT;

CREATE TABLE topic_votes (
    id INTEGER PRIMARY KEY,
    roundtable_id INTEGER NOT NULL UNIQUE REFERENCES roundtables(id) ON DELETE CASCADE,
    per_person INTEGER NOT NULL,
    -- Results shown while voting, or only once closed.
    show_live INTEGER NOT NULL,
    closed_at INTEGER,
    opened_at INTEGER NOT NULL
);

CREATE TABLE vote_options (
    id INTEGER PRIMARY KEY,
    vote_id INTEGER NOT NULL REFERENCES topic_votes(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE vote_voters (
    vote_id INTEGER NOT NULL REFERENCES topic_votes(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    used INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vote_id, user_id)
);

CREATE TABLE vote_dots (
    id INTEGER PRIMARY KEY,
    vote_id INTEGER NOT NULL REFERENCES topic_votes(id) ON DELETE CASCADE,
    option_id INTEGER NOT NULL REFERENCES vote_options(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX vote_dots_option ON vote_dots(option_id, user_id);
