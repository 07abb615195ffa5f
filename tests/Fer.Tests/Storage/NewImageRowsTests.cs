using Fer.Data.Entities;
using Fer.Pipeline.Ingestion;
using Fer.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using static Fer.Testing.NewImageRowSamples;

namespace Fer.Tests.Storage;

/// <summary>The ingestor's SQLite insert of new image rows: what EF would have stored, ids included, and EF's error on a duplicate.</summary>
public sealed class NewImageRowsTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task New_rows_get_their_ids_and_read_back_as_EF_would_have_written_them()
    {
        var datasetId = await _database.AddDatasetAsync();
        var discovered = new DateTimeOffset(2026, 12, 5, 10, 30, 15, 123, TimeSpan.FromHours(2));
        var rows = new[]
        {
            Row(datasetId, "happy/a.png", label: 3, discovered),
            Row(datasetId, "b.png", label: null, discovered),
            Row(datasetId, "sad/c d.png", label: 4, discovered),
        };
        await using (var db = _database.Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await NewImageRows.InsertAsync(db, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.All(rows, r => Assert.True(r.Id > 0));
        Assert.Equal(3, rows.Select(r => r.Id).Distinct().Count());
        await using var read = _database.Open();
        var stored = await read.Images.AsNoTracking().OrderBy(i => i.Id).ToListAsync();
        Assert.Equal(rows.Select(Columns), stored.Select(Columns));
        Assert.All(stored, r => Assert.Equal(ImageState.Pending, r.State));
    }

    [Fact]
    public async Task A_path_already_in_the_dataset_throws_what_EF_throws_and_the_chunk_rolls_back()
    {
        var datasetId = await _database.AddDatasetAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var db = _database.Open())
            await NewImageRows.InsertAsync(db, [Row(datasetId, "a.png", 0, now)], CancellationToken.None);

        await using (var db = _database.Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var error = await Assert.ThrowsAsync<DbUpdateException>(() =>
                NewImageRows.InsertAsync(db, [Row(datasetId, "new.png", 0, now), Row(datasetId, "a.png", 0, now)], CancellationToken.None));
            Assert.Contains("a.png", error.Message);
        }

        await using var read = _database.Open();
        Assert.Equal(["a.png"], await read.Images.Select(i => i.Path).ToListAsync());
    }

    public void Dispose() => _database.Dispose();
}
