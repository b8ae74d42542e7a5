-- When a plan's solve started (the queue is first come, first served: a planner sees
-- when theirs began, and tests check the order).
ALTER TABLE plans ADD COLUMN started_at TEXT;
