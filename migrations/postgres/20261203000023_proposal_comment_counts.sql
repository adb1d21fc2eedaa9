-- A proposal's visible comments, counted as they come and go (triggers), so that
-- sorting a process's proposals by most commented reads an index instead of
-- counting every proposal's comments on each request.
ALTER TABLE proposals ADD COLUMN comments_count BIGINT NOT NULL DEFAULT 0;
UPDATE proposals SET comments_count = (
    SELECT COUNT(*) FROM comments c
    WHERE c.subject_kind = 'proposal' AND c.subject_id = proposals.id AND c.hidden = 0);

CREATE FUNCTION proposal_comments_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.subject_kind = 'proposal' AND NEW.hidden = 0 THEN
        UPDATE proposals SET comments_count = comments_count + 1 WHERE id = NEW.subject_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.subject_kind = 'proposal' AND OLD.hidden = 0 THEN
        UPDATE proposals SET comments_count = comments_count - 1 WHERE id = OLD.subject_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER proposal_comment_added_or_removed AFTER INSERT OR DELETE ON comments
FOR EACH ROW EXECUTE FUNCTION proposal_comments_count();
CREATE TRIGGER proposal_comment_hidden AFTER UPDATE OF hidden ON comments
FOR EACH ROW WHEN ((OLD.hidden = 0) IS DISTINCT FROM (NEW.hidden = 0))
EXECUTE FUNCTION proposal_comments_count();

-- Each sort of the list reads its index in order, ties broken by id.
DROP INDEX proposals_process;
DROP INDEX proposals_supports;
CREATE INDEX proposals_newest ON proposals(process_id, created_at, id);
CREATE INDEX proposals_supported ON proposals(process_id, supports_count, id);
CREATE INDEX proposals_commented ON proposals(process_id, comments_count, id);
