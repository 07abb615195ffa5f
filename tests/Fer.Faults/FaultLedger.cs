using Npgsql;

namespace Fer.Faults;

/// <summary>
/// Counts what happened to every image of a dataset, from triggers this suite adds to its own database (never to a
/// deployment's): each Pending -> Scored/Failed transition of <c>images.state</c>, each INSERT or UPDATE of a
/// <c>predictions</c> row (an upsert that overwrites counts; one row per face) and each permanent <c>image_failures</c> row.
/// <list type="bullet">
/// <item>lost = expected images that are not Scored or Failed once the run settles (no row, still Pending), plus Scored
/// rows without a prediction;</item>
/// <item>duplicated = images with more than one terminal transition, a face's prediction written more than once, more than one
/// permanent failure, or both a prediction write and a permanent failure.</item>
/// </list>
/// The trigger functions are SECURITY DEFINER: the workers connect as the least-privilege role of
/// deploy/sql/worker-role.sql, which may not write to the audit table itself.
/// </summary>
public static class FaultLedger
{
    public sealed record Counts(int Rows, int Scored, int Failed, int Pending, int ScoredWithoutPrediction, int Duplicated);

    private const string Install = """
        CREATE TABLE IF NOT EXISTS fault_audit (image_id bigint NOT NULL, event text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE INDEX IF NOT EXISTS fault_audit_image ON fault_audit (image_id);
        -- A photo has one prediction row per face: a rewrite is the same (image, face) written twice.
        ALTER TABLE fault_audit ADD COLUMN IF NOT EXISTS face_index smallint;

        CREATE OR REPLACE FUNCTION fault_audit_terminal() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN INSERT INTO fault_audit (image_id, event) VALUES (NEW.id, 'terminal'); RETURN NULL; END $$;
        CREATE OR REPLACE FUNCTION fault_audit_prediction() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN INSERT INTO fault_audit (image_id, event, face_index) VALUES (NEW.image_id, 'prediction', NEW.face_index); RETURN NULL; END $$;
        CREATE OR REPLACE FUNCTION fault_audit_failure() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN INSERT INTO fault_audit (image_id, event) VALUES (NEW.image_id, 'failure'); RETURN NULL; END $$;

        DROP TRIGGER IF EXISTS fault_audit_terminal ON images;
        CREATE TRIGGER fault_audit_terminal AFTER UPDATE OF state ON images FOR EACH ROW
            WHEN (OLD.state = 0 AND NEW.state <> 0) EXECUTE FUNCTION fault_audit_terminal();
        DROP TRIGGER IF EXISTS fault_audit_prediction ON predictions;
        CREATE TRIGGER fault_audit_prediction AFTER INSERT OR UPDATE ON predictions FOR EACH ROW EXECUTE FUNCTION fault_audit_prediction();
        DROP TRIGGER IF EXISTS fault_audit_failure ON image_failures;
        CREATE TRIGGER fault_audit_failure AFTER INSERT ON image_failures FOR EACH ROW
            WHEN (NEW.permanent) EXECUTE FUNCTION fault_audit_failure();
        """;

    private const string Count = """
        WITH ds AS (SELECT id FROM datasets WHERE container = @container AND name = @dataset),
        img AS (SELECT i.id, i.state FROM images i JOIN ds ON i.dataset_id = ds.id),
        per_image AS (
            SELECT a.image_id,
                   count(*) FILTER (WHERE a.event = 'terminal') AS terminal,
                   count(*) FILTER (WHERE a.event = 'prediction') AS prediction,
                   count(*) FILTER (WHERE a.event = 'prediction') - count(DISTINCT a.face_index) FILTER (WHERE a.event = 'prediction') AS rewrites,
                   count(*) FILTER (WHERE a.event = 'failure') AS failure
              FROM fault_audit a JOIN img ON img.id = a.image_id
             GROUP BY a.image_id)
        SELECT (SELECT count(*) FROM img),
               -- NoFace (3) is a successful terminal state like Scored: a photo without a face is neither lost nor failed.
               (SELECT count(*) FROM img WHERE state IN (1, 3)),
               (SELECT count(*) FROM img WHERE state = 2),
               (SELECT count(*) FROM img WHERE state = 0),
               (SELECT count(*) FROM img WHERE state = 1 AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.image_id = img.id)),
               (SELECT count(*) FROM per_image WHERE terminal > 1 OR rewrites > 0 OR failure > 1 OR (prediction > 0 AND failure > 0))
        """;

    public static async Task InstallAsync(NpgsqlDataSource data)
    {
        await using var command = data.CreateCommand(Install);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<Counts> CountAsync(NpgsqlDataSource data, string container, string dataset)
    {
        await using var connection = await data.OpenConnectionAsync();
        return await CountAsync(connection, container, dataset);
    }

    private static async Task<Counts> CountAsync(NpgsqlConnection connection, string container, string dataset)
    {
        await using var command = new NpgsqlCommand(Count, connection);
        command.Parameters.AddWithValue("container", container);
        command.Parameters.AddWithValue("dataset", dataset);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3),
            (int)reader.GetInt64(4), (int)reader.GetInt64(5));
    }

    /// <summary>
    /// Proves the ledger can see duplicates: inside a transaction that is rolled back, rewrites one prediction, adds a
    /// permanent failure to another scored image and sends one failed image through Pending to Failed again; the count
    /// must go up by exactly 3. Returns a problem description, or null when it did.
    /// </summary>
    public static async Task<string?> SelfCheckAsync(NpgsqlDataSource data, string container, string dataset)
    {
        await using var connection = await data.OpenConnectionAsync();
        var before = (await CountAsync(connection, container, dataset)).Duplicated;
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var inject = new NpgsqlCommand("""
            CREATE TEMP TABLE ds_images ON COMMIT DROP AS
                SELECT i.id, i.state FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.container = @container AND d.name = @dataset;
            UPDATE predictions SET confidence = confidence WHERE image_id = (SELECT min(id) FROM ds_images WHERE state = 1);
            INSERT INTO image_failures (image_id, reason, permanent, worker_id, occurred_at)
                SELECT max(id), 'ledger self-check', true, 'fer-faults', now() FROM ds_images WHERE state = 1;
            UPDATE images SET state = 0 WHERE id = (SELECT min(id) FROM ds_images WHERE state = 2);
            UPDATE images SET state = 2 WHERE id = (SELECT min(id) FROM ds_images WHERE state = 2);
            """, connection, transaction))
        {
            inject.Parameters.AddWithValue("container", container);
            inject.Parameters.AddWithValue("dataset", dataset);
            await inject.ExecuteNonQueryAsync();
        }
        var after = (await CountAsync(connection, container, dataset)).Duplicated;
        await transaction.RollbackAsync();
        return after - before == 3 ? null : $"ledger self-check: 3 injected duplicates counted as {after - before}";
    }

    /// <summary>Like <see cref="CountAsync"/>, but null while the database is unreachable (a scenario may have stopped it).</summary>
    public static async Task<Counts?> TryCountAsync(NpgsqlDataSource data, string container, string dataset)
    {
        try
        {
            return await CountAsync(data, container, dataset);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Predictions written by one worker id in a dataset (to see that a killed worker had really been working).</summary>
    public static async Task<int> ScoredByAsync(NpgsqlDataSource data, string container, string dataset, string workerId)
    {
        await using var command = data.CreateCommand("""
            SELECT count(*) FROM predictions p JOIN images i ON i.id = p.image_id JOIN datasets d ON d.id = i.dataset_id
             WHERE d.container = @container AND d.name = @dataset AND p.worker_id = @worker
            """);
        command.Parameters.AddWithValue("container", container);
        command.Parameters.AddWithValue("dataset", dataset);
        command.Parameters.AddWithValue("worker", workerId);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }
}
