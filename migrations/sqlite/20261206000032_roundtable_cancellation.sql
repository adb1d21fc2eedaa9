-- The team may cancel a roundtable that has not happened, with a reason the
-- registered and the waitlist are told.
ALTER TABLE roundtables ADD COLUMN cancelled_at INTEGER;
ALTER TABLE roundtables ADD COLUMN cancel_reason TEXT;
