using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Fer.ImageSources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Turns a dataset folder into Pending image rows and ScoreImage messages, chunk by chunk.
/// Idempotent: a known image with the same ETag is left alone; a changed one goes back to Pending (its old
/// prediction removed) and is published again. Rows are committed before their messages are published.
/// </summary>
public sealed class DatasetIngestor(
    IImageSource source,
    IDbContextFactory<FerDbContext> factory,
    ScoreRequestPublisher publisher,
    IOptions<IngestOptions> options,
    ILogger<DatasetIngestor> logger)
{
    /// <param name="dataset">the folder: its name in the container, or a local folder's absolute path (<see cref="Dataset.Path"/>)</param>
    /// <param name="name">what to call the dataset (<see cref="Dataset.Name"/>), renaming a known one; null: a new dataset is
    /// named after the folder's last part, a known one keeps its name</param>
    /// <param name="onListed">called after each chunk is stored and sent, with the dataset's id and how many images are listed so far</param>
    public async Task<IngestResult> IngestAsync(string container, string dataset, CancellationToken cancellationToken, string? name = null,
        Action<long, int>? onListed = null)
    {
        using var activity = FerTelemetry.ActivitySource.StartActivity("ingest");
        activity?.SetTag("fer.container", container);
        activity?.SetTag("fer.dataset", dataset);
        var datasetId = await GetOrCreateDatasetAsync(container, dataset, name, cancellationToken);
        int listed = 0, added = 0, changed = 0, unchanged = 0, published = 0;
        var listedPaths = new HashSet<string>(StringComparer.Ordinal);
        var listingStartedAt = DateTimeOffset.UtcNow;
        var chunkSize = options.Value.WriteChunkSize;
        await foreach (var page in source.ListImagesAsync(container, dataset, options.Value.ListPageSize, cancellationToken))
        {
            foreach (var chunk in page.Chunk(chunkSize))
            {
                listed += chunk.Length;
                foreach (var image in chunk)
                    listedPaths.Add(image.Name[(dataset.Length + 1)..]);
                var (messages, newCount, changedCount) = await WriteChunkAsync(datasetId, container, dataset, chunk, cancellationToken);
                added += newCount;
                changed += changedCount;
                unchanged += chunk.Length - newCount - changedCount;
                published += await publisher.PublishAsync(messages, cancellationToken);
                onListed?.Invoke(datasetId, listed);
            }
        }
        // An empty listing is more likely a folder that is not there (yet) than one whose every file was deleted:
        // nothing is marked gone then.
        var gone = listed == 0 ? 0 : await MarkGoneAsync(datasetId, listedPaths, listingStartedAt, cancellationToken);
        FerTelemetry.ImagesIngested.Add(published);
        var result = new IngestResult(datasetId, container, dataset, listed, added, changed, unchanged, published, gone);
        if (gone > 0)
            logger.LogInformation("{Container}/{Dataset}: {Gone} images no longer in the folder, marked gone", container, dataset, gone);
        if (added + changed > 0)
            logger.LogInformation("Ingested {Container}/{Dataset}: {Listed} images listed, {Added} new, {Changed} changed, {Published} published",
                container, dataset, listed, added, changed, published);
        return result;
    }

    private async Task<(List<ScoreImage> Messages, int Added, int Changed)> WriteChunkAsync(
        long datasetId, string container, string dataset, SourceImage[] chunk, CancellationToken cancellationToken)
    {
        // Two ingestions of one folder may race (watcher and a submit): the unique (dataset, path) index makes the
        // loser fail; a second pass then sees the winner's rows.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryWriteChunkAsync(datasetId, container, dataset, chunk, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                logger.LogDebug("Concurrent ingestion of {Dataset}; re-reading the chunk", dataset);
            }
        }
    }

    private async Task<(List<ScoreImage> Messages, int Added, int Changed)> TryWriteChunkAsync(
        long datasetId, string container, string dataset, SourceImage[] chunk, CancellationToken cancellationToken)
    {
        var prefixLength = dataset.Length + 1;
        var byPath = chunk.GroupBy(b => b.Name[prefixLength..]).ToDictionary(g => g.Key, g => g.First());
        var paths = byPath.Keys.ToList();
        var now = DateTimeOffset.UtcNow;

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Images.Where(i => i.DatasetId == datasetId && paths.Contains(i.Path))
            .ToDictionaryAsync(i => i.Path, cancellationToken);

        var toPublish = new List<ImageRecord>();
        var added = new List<ImageRecord>();
        var changedIds = new List<long>();
        foreach (var (path, blob) in byPath)
        {
            if (!existing.TryGetValue(path, out var image))
            {
                image = new ImageRecord
                {
                    DatasetId = datasetId,
                    Path = path,
                    ETag = blob.ETag,
                    SizeBytes = blob.SizeBytes,
                    TrueLabel = ImageFileNames.LabelOf(path) is { } label ? (short)label : null,
                    State = ImageState.Pending,
                    DiscoveredAt = now,
                };
                added.Add(image);
                toPublish.Add(image);
            }
            else if (image.ETag != blob.ETag || image.State == ImageState.Gone)
            {
                image.ETag = blob.ETag;
                image.SizeBytes = blob.SizeBytes;
                image.State = ImageState.Pending;
                image.FailureReason = null;
                image.PublishedAt = null;
                image.CompletedAt = null;
                image.DiscoveredAt = now;
                changedIds.Add(image.Id);
                toPublish.Add(image);
            }
        }
        if (changedIds.Count > 0)
            await db.Predictions.Where(p => changedIds.Contains(p.ImageId)).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await NewImageRows.InsertAsync(db, added, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var messages = toPublish
            .Select(i => new ScoreImage(i.Id, datasetId, container, ImageFileNames.FullName(dataset, i.Path), i.ETag, dataset))
            .ToList();
        return (messages, added.Count, changedIds.Count);
    }

    /// <summary>
    /// Marks the dataset's rows whose file was not in this listing as <see cref="ImageState.Gone"/> (a full listing
    /// of the folder has just been read), and flags the dataset's results as changed so its report is made again.
    /// </summary>
    /// <returns>how many rows went</returns>
    /// <param name="listingStartedAt">Rows discovered since (by a concurrent ingestion of a growing folder, for files
    /// this listing had already passed) are not judged by it.</param>
    private async Task<int> MarkGoneAsync(long datasetId, HashSet<string> listedPaths, DateTimeOffset listingStartedAt, CancellationToken cancellationToken)
    {
        const int pageSize = 5000;
        var gone = new List<long>();
        var afterId = 0L;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            // Keyset pages of (id, path): a million-image folder is never in memory as entities.
            var page = await db.Images.AsNoTracking()
                .Where(i => i.DatasetId == datasetId && i.State != ImageState.Gone && i.Id > afterId && i.DiscoveredAt < listingStartedAt)
                .OrderBy(i => i.Id).Take(pageSize).Select(i => new { i.Id, i.Path })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
                break;
            afterId = page[^1].Id;
            gone.AddRange(page.Where(i => !listedPaths.Contains(i.Path)).Select(i => i.Id));
        }
        if (gone.Count == 0)
            return 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var ids in gone.Chunk(1000))
            await db.Images.Where(i => ids.Contains(i.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, ImageState.Gone).SetProperty(i => i.CompletedAt, now), cancellationToken);
        await db.Datasets.Where(d => d.Id == datasetId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ResultsChangedAt, now), cancellationToken);
        return gone.Count;
    }

    /// <summary>A folder's own name: the last '/'-separated part of its path ("samples" for /home/me/samples).</summary>
    public static string DefaultName(string dataset)
    {
        var trimmed = dataset.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 || slash == trimmed.Length - 1 ? (trimmed.Length == 0 ? dataset : trimmed) : trimmed[(slash + 1)..];
    }

    private async Task<long> GetOrCreateDatasetAsync(string container, string dataset, string? name, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var known = await db.Datasets.Where(d => d.Container == container && d.Path == dataset).Select(d => new { d.Id, d.Name })
                .FirstOrDefaultAsync(cancellationToken);
            if (known is not null)
            {
                if (name is not null && name != known.Name)
                    await db.Datasets.Where(d => d.Id == known.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Name, name), cancellationToken);
                return known.Id;
            }
            var row = new Dataset { Container = container, Path = dataset, Name = name ?? DefaultName(dataset), CreatedAt = DateTimeOffset.UtcNow };
            db.Datasets.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return row.Id;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Created concurrently by another ingestion: read it on the next pass.
            }
        }
    }
}
