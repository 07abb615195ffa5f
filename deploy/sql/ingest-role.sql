-- Least-privilege PostgreSQL role for Fer.Ingest.
--
-- Ingest lists folders and writes what it found: datasets (created, renamed, flagged as changed), images (new rows,
-- rows whose blob changed back to Pending, rows whose file is gone, published_at stamps) and, for a changed blob, the
-- old predictions it replaces. It never scores, never writes reports, never migrates (run it with
-- Fer__Database__MigrateOnStartup=false) and never deletes an image.
--
-- Run as the owner of the tables (the role that applied the migrations), connected to the FerBatch database:
--   psql "host=HOST dbname=fer user=fer" -v ON_ERROR_STOP=1 -f deploy/sql/ingest-role.sql
-- then set the password from your secret store (never in this file):
--   ALTER ROLE fer_ingest PASSWORD '...';
--   ConnectionStrings__Postgres=Host=HOST;Username=fer_ingest;Password=...;Database=fer
-- Re-running it is safe: it resets the role's table rights to exactly these.
-- Checked by tests/Fer.IntegrationTests/Security/IngestRoleTests.cs.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fer_ingest') THEN
        CREATE ROLE fer_ingest LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO fer_ingest', current_database());
END $$;

GRANT USAGE ON SCHEMA public TO fer_ingest;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM fer_ingest;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM fer_ingest;

-- One row per folder: found or created, renamed by `--name`, flagged when files went missing.
GRANT SELECT, INSERT ON datasets TO fer_ingest;
GRANT UPDATE (name, results_changed_at) ON datasets TO fer_ingest;

-- Pending rows before publishing; a changed or returning blob goes back to Pending; a missing file becomes Gone.
GRANT SELECT, INSERT ON images TO fer_ingest;
GRANT UPDATE (e_tag, size_bytes, state, failure_reason, published_at, completed_at, discovered_at) ON images TO fer_ingest;

-- A changed blob's old scores are removed before it is scored again (DELETE ... WHERE image_id IN (...)).
GRANT SELECT (image_id), DELETE ON predictions TO fer_ingest;

-- Identity columns of the rows it inserts.
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO fer_ingest;
