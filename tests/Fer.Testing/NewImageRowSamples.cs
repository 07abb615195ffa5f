using Fer.Data.Entities;

namespace Fer.Testing;

/// <summary>
/// New image rows as the ingestor builds them, and the columns its hand-written inserts (SQLite and PostgreSQL alike)
/// must store exactly as EF Core would have: one definition for both providers' tests.
/// </summary>
public static class NewImageRowSamples
{
    public static ImageRecord Row(long datasetId, string path, short? label, DateTimeOffset discovered) => new()
    {
        DatasetId = datasetId,
        Path = path,
        ETag = $"etag-{path}",
        SizeBytes = 1000 + path.Length,
        TrueLabel = label,
        State = ImageState.Pending,
        DiscoveredAt = discovered,
    };

    /// <summary>Every column the insert writes, the time as its UTC instant (providers keep the instant, not the offset).</summary>
    public static (long Id, long DatasetId, string Path, string ETag, long SizeBytes, short? TrueLabel, ImageState State,
        DateTime DiscoveredUtc, DateTimeOffset? PublishedAt, DateTimeOffset? CompletedAt) Columns(ImageRecord row) =>
        (row.Id, row.DatasetId, row.Path, row.ETag, row.SizeBytes, row.TrueLabel, row.State, row.DiscoveredAt.UtcDateTime,
            row.PublishedAt, row.CompletedAt);
}
