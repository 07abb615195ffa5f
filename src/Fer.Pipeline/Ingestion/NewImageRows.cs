using Fer.Data;
using Fer.Data.Entities;
using Fer.Pipeline.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Inserts the rows of newly listed images inside the caller's transaction and fills in their ids, without EF Core's
/// change tracking, which cost about 63 µs per row on SQLite (a third of `fer run`'s ingest of 20,000 images) and a
/// quarter of the ingest host's CPU on PostgreSQL (bench/RESULTS.md). On SQLite one prepared INSERT … RETURNING runs
/// per row; on PostgreSQL one INSERT … SELECT FROM unnest(arrays) takes the whole chunk. Other providers go through EF.
/// </summary>
public static class NewImageRows
{
    private const string SqliteInsertSql = """
        INSERT INTO images (dataset_id, path, e_tag, size_bytes, true_label, state, discovered_at)
        VALUES ($dataset_id, $path, $e_tag, $size_bytes, $true_label, $state, $discovered_at)
        RETURNING id
        """;

    // RETURNING gives no order, so each id is matched to its row by (dataset_id, path), the table's unique key.
    private const string PostgresInsertSql = """
        INSERT INTO images (dataset_id, path, e_tag, size_bytes, true_label, state, discovered_at)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::smallint[], $6::smallint[], $7::timestamptz[])
        RETURNING id, dataset_id, path
        """;

    /// <summary>SQLite's primary result code for a violated constraint (here: the unique (dataset, path) index).</summary>
    private const int SqliteConstraint = 19;

    public static async Task InsertAsync(FerDbContext db, IReadOnlyList<ImageRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        if (db.Database.IsNpgsql())
        {
            await InsertPostgresAsync(db, rows, cancellationToken);
            return;
        }
        if (!db.Database.IsSqlite())
        {
            db.Images.AddRange(rows);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        await db.Database.OpenConnectionAsync(cancellationToken); // already open inside the caller's transaction
        await using var command = SqlitePreparedCommand.Prepare((SqliteConnection)db.Database.GetDbConnection(),
            (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(), SqliteInsertSql,
            "$dataset_id", "$path", "$e_tag", "$size_bytes", "$true_label", "$state", "$discovered_at");
        foreach (var row in rows)
        {
            command.Bind(row.DatasetId, row.Path, row.ETag, row.SizeBytes, row.TrueLabel, (int)row.State, IsoUtcTextConverter.Format(row.DiscoveredAt));
            try
            {
                row.Id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                // What EF would throw: the ingestor reads the chunk again when another ingestion got there first.
                throw new DbUpdateException($"image row already exists: {row.Path}", ex);
            }
        }
    }

    private static async Task InsertPostgresAsync(FerDbContext db, IReadOnlyList<ImageRecord> rows, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PostgresInsertSql, (NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.DatasetId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Path).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.ETag).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.SizeBytes).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.TrueLabel).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (short)r.State).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.DiscoveredAt.ToUniversalTime()).ToArray() });

        var byKey = new Dictionary<(long, string), ImageRecord>(rows.Count);
        foreach (var row in rows)
            byKey[(row.DatasetId, row.Path)] = row;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                byKey[(reader.GetInt64(1), reader.GetString(2))].Id = reader.GetInt64(0);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // What EF would throw: the ingestor reads the chunk again when another ingestion got there first.
            throw new DbUpdateException($"an image row of the chunk already exists ({ex.ConstraintName})", ex);
        }
    }
}
