-- The published action plan takes public comments: comments gain the 'plan'
-- subject (a process, once its plan has a final sheet).
ALTER TABLE comments DROP CONSTRAINT comments_subject_kind_check;
ALTER TABLE comments ADD CONSTRAINT comments_subject_kind_check
    CHECK (subject_kind IN ('proposal', 'commitment', 'plan'));
