-- Each filter of the proposal list counts and picks its page from an index of
-- its own that holds every sort column, so that neither reads the table: in
-- order for the newest, a top-N over the filter's entries for the other sorts.
-- A sector filter reads the index of each of the sector's organizations.
CREATE INDEX proposals_by_axis ON proposals(process_id, axis_id, created_at, id, supports_count, comments_count);
CREATE INDEX proposals_by_state ON proposals(process_id, state, created_at, id, supports_count, comments_count);
CREATE INDEX proposals_by_organization ON proposals(process_id, organization_id, created_at, id, supports_count, comments_count);
