using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Fer.Pipeline.Scoring;
using Fer.Tests.Reports;
using Microsoft.EntityFrameworkCore;

namespace Fer.Tests.Storage;

/// <summary>
/// The SQLite writer's check before a batch is scored: only requests whose row is still Pending with the request's
/// ETag are worth the download and the model; the others are stale or duplicate deliveries.
/// </summary>
public sealed class SqlitePendingCheckTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Only_rows_still_Pending_with_the_requests_ETag_are_found()
    {
        var datasetId = await _database.AddDatasetAsync();
        var pending = await AddImageAsync(datasetId, "a.png", "etag-a", ImageState.Pending);
        var changedSince = await AddImageAsync(datasetId, "b.png", "etag-b2", ImageState.Pending);
        var scored = await AddImageAsync(datasetId, "c.png", "etag-c", ImageState.Scored);
        var gone = await AddImageAsync(datasetId, "d.png", "etag-d", ImageState.Gone);
        var writer = new SqlitePredictionWriter(new Contexts(_database), new PredictionWriteGate());

        var found = await writer.FindPendingAsync(
        [
            Request(pending, datasetId, "a.png", "etag-a"),
            Request(changedSince, datasetId, "b.png", "etag-b1"),
            Request(scored, datasetId, "c.png", "etag-c"),
            Request(gone, datasetId, "d.png", "etag-d"),
            Request(gone + 1000, datasetId, "never-listed.png", "etag-x"),
        ], CancellationToken.None);

        Assert.Equal([pending], found.Order());
    }

    [Fact]
    public async Task A_batch_larger_than_SQLites_old_parameter_limit_is_checked_in_one_statement()
    {
        var datasetId = await _database.AddDatasetAsync();
        var ids = new List<long>();
        await using (var db = _database.Open())
        {
            for (var i = 0; i < 1500; i++)
                db.Images.Add(Image(datasetId, $"{i:D4}.png", $"etag-{i}", i % 3 == 0 ? ImageState.Scored : ImageState.Pending));
            await db.SaveChangesAsync();
            ids.AddRange(await db.Images.OrderBy(i => i.Path).Select(i => i.Id).ToListAsync());
        }
        var writer = new SqlitePredictionWriter(new Contexts(_database), new PredictionWriteGate());

        var found = await writer.FindPendingAsync(ids.Select((id, i) => Request(id, datasetId, $"{i:D4}.png", $"etag-{i}")).ToList(),
            CancellationToken.None);

        Assert.Equal(ids.Where((_, i) => i % 3 != 0), found.Order());
    }

    private static ScoreImage Request(long imageId, long datasetId, string path, string eTag) =>
        new(imageId, datasetId, "local", "/data/faces/" + path, eTag, "/data/faces");

    private async Task<long> AddImageAsync(long datasetId, string path, string eTag, ImageState state)
    {
        await using var db = _database.Open();
        var image = Image(datasetId, path, eTag, state);
        db.Images.Add(image);
        await db.SaveChangesAsync();
        return image.Id;
    }

    private static ImageRecord Image(long datasetId, string path, string eTag, ImageState state) => new()
    {
        DatasetId = datasetId,
        Path = path,
        ETag = eTag,
        SizeBytes = 100,
        State = state,
        DiscoveredAt = DateTimeOffset.UtcNow,
    };

    private sealed class Contexts(SqliteTestDatabase database) : IDbContextFactory<FerDbContext>
    {
        public FerDbContext CreateDbContext() => database.Open();
    }

    public void Dispose() => _database.Dispose();
}
