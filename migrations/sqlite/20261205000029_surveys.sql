-- The personalized call's survey: a short questionnaire per process, sent to
-- chosen organizations, answered once per organization (editable until it
-- closes). Questions are fixed once the survey has been sent.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    process_id INTEGER NOT NULL UNIQUE REFERENCES processes(id) ON DELETE CASCADE,
    intro TEXT NOT NULL DEFAULT '',
    -- The last day answers are taken (local date, ISO).
    closes_on TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE survey_questions (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('short', 'long', 'one', 'many', 'axes')),
    prompt TEXT NOT NULL,
    -- The choices of a one- or several-choice question, one per line.
    options TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX survey_questions_by_survey ON survey_questions(survey_id, position);

-- The organizations a survey was sent to.
CREATE TABLE survey_recipients (
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    sent_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (survey_id, organization_id)
);
CREATE INDEX survey_recipients_by_organization ON survey_recipients(organization_id);

-- One response per organization; its answers are replaced when edited.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    answered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    answered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (survey_id, organization_id)
);
CREATE INDEX survey_responses_by_user ON survey_responses(answered_by);

CREATE TABLE survey_answers (
    response_id INTEGER NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
    -- Text, or the choices (axis ids for an axes question), one per line.
    value TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);
