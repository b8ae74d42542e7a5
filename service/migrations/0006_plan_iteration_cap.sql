-- The improvement search runs on its time limit; the iteration count became an optional
-- cap (NULL: none), so the NOT NULL `iterations` column gives way to a nullable one.
ALTER TABLE plans ADD COLUMN iteration_cap INTEGER;
UPDATE plans SET iteration_cap = iterations;
ALTER TABLE plans DROP COLUMN iterations;
