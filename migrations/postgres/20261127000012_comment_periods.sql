-- Stage 3 comment periods. Comments now also take commitment sheets: anchored to
-- a field or a milestone key, with the version they were made on.
ALTER TABLE comments DROP CONSTRAINT comments_subject_kind_check;
ALTER TABLE comments ADD CONSTRAINT comments_subject_kind_check
    CHECK (subject_kind IN ('proposal', 'commitment'));
-- For a sheet: the field name or milestone key, and the version commented on.
ALTER TABLE comments ADD COLUMN anchor TEXT;
ALTER TABLE comments ADD COLUMN version BIGINT;
CREATE INDEX comments_anchor ON comments(subject_kind, subject_id, anchor, id);

-- The comment period and the final publication of a sheet. `final_unanswered`
-- records how many comments were still unanswered when the team confirmed
-- publishing anyway.
ALTER TABLE commitments ADD COLUMN comment_version BIGINT;
ALTER TABLE commitments ADD COLUMN comment_opens_at BIGINT;
ALTER TABLE commitments ADD COLUMN comment_closes_at BIGINT;
ALTER TABLE commitments ADD COLUMN final_version BIGINT;
ALTER TABLE commitments ADD COLUMN final_at BIGINT;
ALTER TABLE commitments ADD COLUMN final_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE commitments ADD COLUMN final_unanswered BIGINT;

-- The team's reasoned response to each comment on a sheet.
CREATE TABLE comment_responses (
    comment_id BIGINT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
    commitment_id BIGINT NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL CHECK (outcome IN ('incorporated', 'partly', 'not_incorporated', 'out_of_scope')),
    reason TEXT NOT NULL,
    version BIGINT,
    responder_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    responded_at BIGINT NOT NULL
);
CREATE INDEX comment_responses_commitment ON comment_responses(commitment_id, outcome);
