-- People who follow a process's thematic axes: they are told when a
-- roundtable on one of them is scheduled.
CREATE TABLE axis_followers (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    axis_id INTEGER NOT NULL REFERENCES process_axes(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (axis_id, user_id)
);
CREATE INDEX axis_followers_by_user ON axis_followers(user_id);
