-- A proposal's visible comments, counted as they come and go (triggers), so that
-- sorting a process's proposals by most commented reads an index instead of
-- counting every proposal's comments on each request. A later rebuild of
-- `comments` (SQLite's way to change a CHECK) must create these triggers again.
ALTER TABLE proposals ADD COLUMN comments_count INTEGER NOT NULL DEFAULT 0;
UPDATE proposals SET comments_count = (
    SELECT COUNT(*) FROM comments c
    WHERE c.subject_kind = 'proposal' AND c.subject_id = proposals.id AND c.hidden = 0);

CREATE TRIGGER proposal_comment_added AFTER INSERT ON comments
WHEN NEW.subject_kind = 'proposal' AND NEW.hidden = 0
BEGIN
    UPDATE proposals SET comments_count = comments_count + 1 WHERE id = NEW.subject_id;
END;

CREATE TRIGGER proposal_comment_removed AFTER DELETE ON comments
WHEN OLD.subject_kind = 'proposal' AND OLD.hidden = 0
BEGIN
    UPDATE proposals SET comments_count = comments_count - 1 WHERE id = OLD.subject_id;
END;

CREATE TRIGGER proposal_comment_hidden AFTER UPDATE OF hidden ON comments
WHEN NEW.subject_kind = 'proposal' AND (NEW.hidden = 0) <> (OLD.hidden = 0)
BEGIN
    UPDATE proposals SET comments_count = comments_count + (CASE WHEN NEW.hidden = 0 THEN 1 ELSE -1 END)
    WHERE id = NEW.subject_id;
END;

-- Each sort of the list reads its index in order, ties broken by id.
DROP INDEX proposals_process;
DROP INDEX proposals_supports;
CREATE INDEX proposals_newest ON proposals(process_id, created_at, id);
CREATE INDEX proposals_supported ON proposals(process_id, supports_count, id);
CREATE INDEX proposals_commented ON proposals(process_id, comments_count, id);
