-- Mail keeps no secrets: a message that carries a token (a password reset, an
-- email confirmation) is emptied once sent, and sent mail is purged after a
-- retention period (server/src/jobs.rs).
ALTER TABLE outbox ADD COLUMN secret BIGINT NOT NULL DEFAULT 0;
-- A notification mail's one-click unsubscribe address (List-Unsubscribe).
ALTER TABLE outbox ADD COLUMN unsubscribe TEXT;

-- A token per person that can only stop kinds of notification mail, and the
-- kinds each person does not want by email (still shown in the app).
ALTER TABLE users ADD COLUMN unsubscribe_token TEXT;
CREATE UNIQUE INDEX users_unsubscribe_token ON users(unsubscribe_token);
CREATE TABLE email_optouts (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
