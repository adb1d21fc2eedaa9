-- Each signed-in request counts the person's unread notifications: by this
-- index it reads only those, however many they have read before.
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
