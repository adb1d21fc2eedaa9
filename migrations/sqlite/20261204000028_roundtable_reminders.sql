-- When a seat holder was reminded of the roundtable the day before (once).
ALTER TABLE roundtable_registrations ADD COLUMN reminded_at INTEGER;
CREATE INDEX roundtables_by_start ON roundtables(starts_at);
