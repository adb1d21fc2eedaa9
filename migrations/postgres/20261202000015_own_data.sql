-- People own their data (Ley 25.326, Ley 1.845). Consent to the privacy notice
-- is kept with its time and the notice's version; an address is confirmed before
-- any other mail goes to it; a new address waits for its confirmation; a
-- deleted account keeps only what the public record needs, anonymous.
ALTER TABLE users ADD COLUMN consent_at BIGINT;
ALTER TABLE users ADD COLUMN consent_version TEXT;
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
-- Whether the person's name shows on their board notes (off unless chosen).
ALTER TABLE users ADD COLUMN show_name_on_boards BIGINT NOT NULL DEFAULT 0;
-- Accounts made before this were confirmed by the way they were made.
UPDATE users SET email_confirmed_at = created_at;

CREATE TABLE email_confirmations (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_confirmations_user ON email_confirmations(user_id);
