using Fer.Data.Entities;
using Fer.IntegrationTests.Infrastructure;
using Fer.Pipeline.Ingestion;
using Microsoft.EntityFrameworkCore;
using static Fer.Testing.NewImageRowSamples;

namespace Fer.IntegrationTests.Ingestion;

/// <summary>The ingestor's PostgreSQL insert of new image rows (one unnest statement per chunk): what EF would have
/// stored, each id on its own row, and EF's error on a duplicate path.</summary>
public sealed class PostgresNewImageRowsTests : PostgresDatabaseTest
{
    [Fact]
    public async Task New_rows_get_their_own_ids_and_read_back_as_EF_would_have_written_them()
    {
        var datasetId = await AddDatasetAsync();
        var discovered = new DateTimeOffset(2026, 12, 5, 10, 30, 15, 123, TimeSpan.FromHours(2));
        // Enough rows that PostgreSQL's RETURNING order could differ from the input's; ids are matched by path.
        var rows = Enumerable.Range(0, 300)
            .Select(i => Row(datasetId, i % 3 == 0 ? $"happy/{i}.png" : $"x {i}.png", i % 3 == 0 ? (short)3 : null, discovered))
            .ToArray();
        await using (var db = _database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await NewImageRows.InsertAsync(db, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(rows.Length, rows.Select(r => r.Id).Where(id => id > 0).Distinct().Count());
        await using var read = _database.CreateContext();
        var stored = await read.Images.AsNoTracking().ToDictionaryAsync(i => i.Id);
        Assert.Equal(rows.Length, stored.Count);
        Assert.All(rows, row => Assert.Equal(Columns(row), Columns(stored[row.Id])));
        Assert.All(stored.Values, back => Assert.Equal(ImageState.Pending, back.State));
    }

    [Fact]
    public async Task A_path_already_in_the_dataset_throws_what_EF_throws_and_the_chunk_rolls_back()
    {
        var datasetId = await AddDatasetAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var db = _database.CreateContext())
            await NewImageRows.InsertAsync(db, [Row(datasetId, "a.png", 0, now)], CancellationToken.None);

        await using (var db = _database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<DbUpdateException>(() =>
                NewImageRows.InsertAsync(db, [Row(datasetId, "new.png", 0, now), Row(datasetId, "a.png", 0, now)], CancellationToken.None));
        }

        await using var read = _database.CreateContext();
        Assert.Equal(["a.png"], await read.Images.Select(i => i.Path).ToListAsync());
    }

    private async Task<long> AddDatasetAsync()
    {
        await using var db = _database.CreateContext();
        var dataset = new Dataset { Container = "fer-test", Path = "faces", Name = "faces", CreatedAt = DateTimeOffset.UtcNow };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        return dataset.Id;
    }
}
