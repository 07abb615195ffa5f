-- Least-privilege PostgreSQL role for Fer.Reports.
--
-- The reports host only reads results (aggregations in GROUP BY, the most confident mistakes, the previous report)
-- and records each report it publishes: SELECT on the tables it reads, INSERT on reports. It never changes an image,
-- a prediction or a dataset, and never migrates (run it with Fer__Database__MigrateOnStartup=false).
--
-- Run as the owner of the tables, connected to the FerBatch database:
--   psql "host=HOST dbname=fer user=fer" -v ON_ERROR_STOP=1 -f deploy/sql/reports-role.sql
-- then set the password from your secret store (never in this file):
--   ALTER ROLE fer_reports PASSWORD '...';
--   ConnectionStrings__Postgres=Host=HOST;Username=fer_reports;Password=...;Database=fer
-- Re-running it is safe: it resets the role's table rights to exactly these.
-- Checked by tests/Fer.IntegrationTests/Security/ReportsRoleTests.cs.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fer_reports') THEN
        CREATE ROLE fer_reports LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO fer_reports', current_database());
END $$;

GRANT USAGE ON SCHEMA public TO fer_reports;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM fer_reports;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM fer_reports;

GRANT SELECT ON datasets, images, predictions, image_failures, reports TO fer_reports;
GRANT INSERT ON reports TO fer_reports;
-- The identity column of the reports it inserts.
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO fer_reports;
