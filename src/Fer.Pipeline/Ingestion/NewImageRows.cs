using Fer.Data;
using Fer.Data.Entities;
using Fer.Pipeline.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Inserts the rows of newly listed images inside the caller's transaction and fills in their ids. On SQLite (`fer run`)
/// one prepared INSERT … RETURNING runs per row: EF Core's change tracking cost about 63 µs per row there, a third of
/// the whole ingest of a 20,000-image folder (perf profile in bench/RESULTS.md). Other providers insert through EF,
/// which batches them already.
/// </summary>
public static class NewImageRows
{
    private const string InsertSql = """
        INSERT INTO images (dataset_id, path, e_tag, size_bytes, true_label, state, discovered_at)
        VALUES ($dataset_id, $path, $e_tag, $size_bytes, $true_label, $state, $discovered_at)
        RETURNING id
        """;

    /// <summary>SQLite's primary result code for a violated constraint (here: the unique (dataset, path) index).</summary>
    private const int SqliteConstraint = 19;

    public static async Task InsertAsync(FerDbContext db, IReadOnlyList<ImageRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        if (!db.Database.IsSqlite())
        {
            db.Images.AddRange(rows);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        await db.Database.OpenConnectionAsync(cancellationToken); // already open inside the caller's transaction
        await using var command = SqlitePreparedCommand.Prepare((SqliteConnection)db.Database.GetDbConnection(),
            (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(), InsertSql,
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
}
