-- Facilitator controls on the boards: private writing (notes stay with their
-- author until revealed), anonymous mode, and hiding a note.
ALTER TABLE boards ADD COLUMN private_writing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE boards ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE board_notes ADD COLUMN revealed INTEGER NOT NULL DEFAULT 1;
-- Written in anonymous mode: the author is never sent to browsers.
ALTER TABLE board_notes ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE board_notes ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
-- An event that only this person (and the team) may receive.
ALTER TABLE board_events ADD COLUMN private_to INTEGER;
-- The note an event is about: a note hidden or deleted since is not replayed.
ALTER TABLE board_events ADD COLUMN note_id INTEGER;
