-- A plan: the exact instance it is solved from, its status, and its roster once solved.
-- Rows are written in one statement each, so a reader sees a plan before or after a
-- change, never half of one.
CREATE TABLE plans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    status      TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    threads     INTEGER NOT NULL,
    iterations  INTEGER NOT NULL,
    time_limit  REAL,
    instance    TEXT    NOT NULL,
    roster      TEXT,
    error       TEXT,
    coverage    REAL,
    bound       REAL,
    seconds     REAL
);
