-- Least-privilege PostgreSQL role for Fer.Worker.
--
-- A worker only moves Pending images to Scored/Failed/NoFace: it reads images, writes predictions (one row per face) and image_failures,
-- stamps datasets.results_changed_at, and stages each micro-batch in a session TEMP table for binary COPY.
-- It never migrates (run it with Fer__Database__MigrateOnStartup=false), deletes, or reads reports.
--
-- Run as the owner of the tables (the role that applied the migrations), connected to the FerBatch database:
--   psql "host=HOST dbname=fer user=fer" -v ON_ERROR_STOP=1 -f deploy/sql/worker-role.sql
-- then set the password from your secret store (never in this file) and give the worker that login:
--   ALTER ROLE fer_worker PASSWORD '...';
--   ConnectionStrings__Postgres=Host=HOST;Username=fer_worker;Password=...;Database=fer
-- Re-running it is safe: it resets the role's table rights to exactly these.
-- Checked by tests/Fer.IntegrationTests/Security/WorkerRoleTests.cs, and scripts/faults.sh runs its workers as this role.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fer_worker') THEN
        CREATE ROLE fer_worker LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    -- CONNECT, and TEMPORARY for the COPY staging table (CREATE TEMP TABLE face_staging ... ON COMMIT DELETE ROWS).
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO fer_worker', current_database());
END $$;

GRANT USAGE ON SCHEMA public TO fer_worker;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM fer_worker;

-- Which messages are still Pending with their ETag; then the guarded move to a terminal state.
GRANT SELECT ON images TO fer_worker;
GRANT UPDATE (state, failure_reason, completed_at, face_count) ON images TO fer_worker;

-- Upsert of each face's box and seven scores (ON CONFLICT (image_id, face_index) DO UPDATE ... RETURNING image_id). PostgreSQL also asks for
-- SELECT on every column an ON CONFLICT DO UPDATE assigns, i.e. all of them: predictions hold nothing but scores.
GRANT SELECT, INSERT, UPDATE ON predictions TO fer_worker;

-- Permanent failures, and "gave up after N retries" notes (INSERT ... RETURNING image_id).
GRANT INSERT ON image_failures TO fer_worker;
GRANT SELECT (image_id) ON image_failures TO fer_worker;

-- results_changed_at tells the nightly report that a dataset has news (UPDATE ... WHERE id IN (...) RETURNING id).
GRANT UPDATE (results_changed_at) ON datasets TO fer_worker;
GRANT SELECT (id) ON datasets TO fer_worker;
