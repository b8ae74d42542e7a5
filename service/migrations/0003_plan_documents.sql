-- A plan's instance (megabytes for a city) and roster move out of the `plans` row into
-- a table of their own. SQLite keeps a long value in a chain of overflow pages and must
-- walk the chain to reach the columns stored after it, so every status read and listing
-- paid for reading the whole instance (measured: 600 listings a second, most of the time
-- in overflow pages).
CREATE TABLE plan_documents (
    plan_id  INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('instance', 'roster')),
    body     TEXT    NOT NULL,
    PRIMARY KEY (plan_id, kind)
);
INSERT INTO plan_documents (plan_id, kind, body) SELECT id, 'instance', instance FROM plans;
INSERT INTO plan_documents (plan_id, kind, body) SELECT id, 'roster', roster FROM plans WHERE roster IS NOT NULL;
ALTER TABLE plans DROP COLUMN instance;
ALTER TABLE plans DROP COLUMN roster;
