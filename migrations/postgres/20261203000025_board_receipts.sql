-- A note or a dot made while a phone's connection was down is sent again when it
-- returns, with the key the page gave it: the first arrival is kept here, in the
-- write's own transaction, so the write is done once however often it arrives.
CREATE TABLE board_receipts (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_key TEXT NOT NULL,
    roundtable_id BIGINT NOT NULL REFERENCES roundtables(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_key)
);
CREATE INDEX board_receipts_roundtable ON board_receipts(roundtable_id);
