using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Fer.Pipeline.Images;
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
    public async Task<IngestResult> IngestAsync(string container, string dataset, CancellationToken cancellationToken)
    {
        using var activity = FerTelemetry.ActivitySource.StartActivity("ingest");
        activity?.SetTag("fer.container", container);
        activity?.SetTag("fer.dataset", dataset);
        var datasetId = await GetOrCreateDatasetAsync(container, dataset, cancellationToken);
        int listed = 0, added = 0, changed = 0, unchanged = 0, published = 0;
        var chunkSize = Math.Max(1, options.Value.WriteChunkSize);
        await foreach (var page in source.ListImagesAsync(container, dataset, Math.Max(1, options.Value.ListPageSize), cancellationToken))
        {
            foreach (var chunk in page.Chunk(chunkSize))
            {
                listed += chunk.Length;
                var (messages, newCount, changedCount) = await WriteChunkAsync(datasetId, container, dataset, chunk, cancellationToken);
                added += newCount;
                changed += changedCount;
                unchanged += chunk.Length - newCount - changedCount;
                published += await publisher.PublishAsync(messages, cancellationToken);
            }
        }
        FerTelemetry.ImagesIngested.Add(published);
        var result = new IngestResult(datasetId, container, dataset, listed, added, changed, unchanged, published);
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
                db.Images.Add(image);
                toPublish.Add(image);
            }
            else if (image.ETag != blob.ETag)
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
        await transaction.CommitAsync(cancellationToken);

        var messages = toPublish
            .Select(i => new ScoreImage(i.Id, datasetId, container, ImageFileNames.FullName(dataset, i.Path), i.ETag, dataset))
            .ToList();
        return (messages, toPublish.Count - changedIds.Count, changedIds.Count);
    }

    private async Task<long> GetOrCreateDatasetAsync(string container, string dataset, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var id = await db.Datasets.Where(d => d.Container == container && d.Name == dataset).Select(d => (long?)d.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (id is not null)
                return id.Value;
            var row = new Dataset { Container = container, Name = dataset, CreatedAt = DateTimeOffset.UtcNow };
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
