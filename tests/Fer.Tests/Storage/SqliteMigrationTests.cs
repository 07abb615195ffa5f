using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fer.Tests.Storage;

/// <summary>A results file of the previous schema (EnsureCreated, binary times, the absolute path as name) opens and upgrades.</summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task A_file_of_the_previous_schema_gets_names_paths_iso_times_and_the_results_view()
    {
        var file = Path.Combine(_temp.Path, "old.db");
        var connection = $"Data Source={file};Pooling=false";
        // The previous schema exactly: the baseline migration's tables, without a history (EnsureCreated kept none).
        await using (var baseline = FerSqliteDbContext.Open(connection))
        {
            await baseline.GetService<IMigrator>().MigrateAsync(SqliteSchema.BaselineMigration);
            await baseline.Database.ExecuteSqlRawAsync("DROP TABLE __EFMigrationsHistory");
        }
        var scoredAt = new DateTimeOffset(2026, 11, 30, 21, 5, 7, 123, TimeSpan.FromHours(2)).AddTicks(4000); // the binary form keeps 1000-tick steps
        var created = new DateTimeOffset(2026, 11, 30, 19, 0, 0, TimeSpan.Zero);
        var toBinary = new DateTimeOffsetToBinaryConverter();
        long Binary(DateTimeOffset at) => (long)toBinary.ConvertToProvider(at)!;
        await using (var sqlite = new SqliteConnection(connection))
        {
            await sqlite.OpenAsync();
            await using var insert = sqlite.CreateCommand();
            insert.CommandText = $"""
                INSERT INTO datasets (id, name, container, created_at, results_changed_at) VALUES (1, '/data/a/samples', 'local', {Binary(created)}, {Binary(scoredAt)});
                INSERT INTO datasets (id, name, container, created_at) VALUES (2, 'batch-1', 'fer-smoke', {Binary(created)});
                INSERT INTO images (id, dataset_id, path, e_tag, size_bytes, true_label, state, discovered_at, completed_at, face_count)
                    VALUES (10, 1, 'happy/a.png', 'e', 100, 3, 1, {Binary(created)}, {Binary(scoredAt)}, 1);
                INSERT INTO predictions (image_id, face_index, box_x, box_y, box_width, box_height, angry, disgust, fear, happy, sad, surprise, neutral,
                    predicted_label, confidence, model_name, model_sha256, worker_id, download_ms, decode_ms, detect_ms, inference_ms, batch_size, scored_at)
                    VALUES (10, 0, 0, 0, 48, 48, 0.01, 0.01, 0.01, 0.9, 0.03, 0.02, 0.02, 3, 0.9, 'fer-cnn', 'abc', 'embedded', 0, 0, 0, 1, 1, {Binary(scoredAt)});
                """;
            await insert.ExecuteNonQueryAsync();
        }

        await SqliteSchema.MigrateAsync(connection);

        await using var db = new FerDbContext(new DbContextOptionsBuilder<FerDbContext>().UseSqlite(connection).Options);
        var local = await db.Datasets.SingleAsync(d => d.Id == 1);
        Assert.Equal("samples", local.Name);
        Assert.Equal("/data/a/samples", local.Path);
        Assert.Equal(created, local.CreatedAt);
        Assert.Equal(scoredAt, local.ResultsChangedAt);
        var blob = await db.Datasets.SingleAsync(d => d.Id == 2);
        Assert.Equal(("batch-1", "batch-1"), (blob.Name, blob.Path));
        Assert.Equal(scoredAt, (await db.Predictions.SingleAsync()).ScoredAt);
        Assert.Equal(1, await DatasetLookup.FindIdAsync(db, "samples"));

        await using var sqliteAfter = new SqliteConnection(connection);
        await sqliteAfter.OpenAsync();
        await using var read = sqliteAfter.CreateCommand();
        read.CommandText = "SELECT dataset, path, label, true_label, scored_at, typeof(scored_at) FROM results";
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("samples", "happy/a.png", "happy", "happy"), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        // Readable as text by sqlite3: the UTC instant to the tick.
        Assert.Equal("2026-11-30T19:05:07.1234000Z", reader.GetString(4));
        Assert.Equal("text", reader.GetString(5));
        Assert.False(await reader.ReadAsync());

        // Opening again is a no-op: every migration is recorded.
        await SqliteSchema.MigrateAsync(connection);
        await using var again = FerSqliteDbContext.Open(connection);
        Assert.Empty(await again.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Report_on_an_unknown_name_lists_the_known_ones()
    {
        var file = Path.Combine(_temp.Path, "known.db");
        await SqliteSchema.MigrateAsync($"Data Source={file};Pooling=false");
        await using (var db = FerDbContexts.ForSqlite(file))
        {
            db.Datasets.Add(new Fer.Data.Entities.Dataset { Name = "samples", Path = "/data/a/samples", Container = "local" });
            db.Datasets.Add(new Fer.Data.Entities.Dataset { Name = "samples", Path = "/data/b/samples", Container = "local" });
            db.Datasets.Add(new Fer.Data.Entities.Dataset { Name = "party", Path = "/data/party", Container = "local" });
            await db.SaveChangesAsync();
        }
        var missing = await CliRunner.RunAsync("report", "nosuch", "--db", file);
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Contains("error: no dataset named 'nosuch'; known datasets:", missing.Error);
        Assert.Contains("party (local: /data/party)", missing.Error);
        Assert.Contains("samples (local: /data/b/samples)", missing.Error);

        // Two folders with the same last part stay two datasets; the name alone is ambiguous, the path is not.
        var ambiguous = await CliRunner.RunAsync("report", "samples", "--db", file);
        Assert.Equal(ExitCodes.BadInput, ambiguous.ExitCode);
        Assert.Contains("belongs to several folders (/data/a/samples, /data/b/samples)", ambiguous.Error);
        await using var check = FerDbContexts.ForSqlite(file);
        Assert.Equal(2, await DatasetLookup.FindIdAsync(check, "/data/b/samples"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
