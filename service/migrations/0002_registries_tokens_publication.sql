-- The bureau's registries, kept by the service: one row a record, its JSON document in
-- the contract's shape. `position` keeps the order records were given in (CSV order, new
-- records last): a plan's instance lists them in that order, and the solver's roster for
-- a seed depends on it.
CREATE TABLE registry_records (
    registry    TEXT    NOT NULL CHECK (registry IN ('districts', 'officers', 'experts', 'enterprises', 'history', 'findings')),
    key         TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (registry, key)
);
CREATE INDEX registry_records_order ON registry_records (registry, position);

-- Bureau-wide documents: `policy`, `calendar` and `travel` (the road network), one JSON
-- document each.
CREATE TABLE settings (
    name        TEXT PRIMARY KEY CHECK (name IN ('policy', 'calendar', 'travel')),
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- API tokens. Only the SHA-256 of a token is kept: a token is 256 random bits, so a slow
-- password hash would add nothing but latency to every request.
CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    hash        TEXT    NOT NULL UNIQUE,
    role        TEXT    NOT NULL CHECK (role IN ('planner', 'officer', 'expert')),
    subject     TEXT,
    created_at  TEXT    NOT NULL,
    revoked_at  TEXT
);

-- Plans: what they were made from and whether they are published (frozen).
ALTER TABLE plans ADD COLUMN source TEXT NOT NULL DEFAULT 'inline' CHECK (source IN ('inline', 'registries'));
ALTER TABLE plans ADD COLUMN horizon_start TEXT;
ALTER TABLE plans ADD COLUMN horizon_end TEXT;
ALTER TABLE plans ADD COLUMN published_at TEXT;

-- An expert's decline of a visit of a published plan (re-planning is the planner's call).
CREATE TABLE declines (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     INTEGER NOT NULL REFERENCES plans (id),
    enterprise  TEXT    NOT NULL,
    expert      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (plan_id, enterprise, expert)
);
