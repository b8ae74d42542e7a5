-- One row that /readyz writes: the service is ready only while a write commits (a full
-- disk or a read-only database file fails here first, not on a planner's write).
CREATE TABLE heartbeat (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    at  TEXT    NOT NULL
);
