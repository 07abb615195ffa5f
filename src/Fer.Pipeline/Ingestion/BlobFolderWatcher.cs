using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Fer.Data;
using Fer.ImageSources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Polls the container: a new top-level folder is ingested once it holds the ready marker or has been quiet
/// for the configured time; known folders are ingested again each pass so images added later are picked up.
/// A ready folder in which no file is an image (HEIC photos from a phone, say) is reported once, with why each file
/// was skipped, instead of being listed in silence every pass.
/// </summary>
public sealed class BlobFolderWatcher(
    BlobServiceClient blobs,
    DatasetIngestor ingestor,
    BlobImageSource source,
    IDbContextFactory<FerDbContext> factory,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<BlobFolderWatcher> logger) : PollingService(time)
{
    private readonly ConcurrentDictionary<string, byte> _reportedWithoutImages = new(StringComparer.Ordinal);

    /// <summary>One pass over the container; returns the ingestions it ran.</summary>
    public async Task<IReadOnlyList<IngestResult>> ScanAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(options.Value.Container);
        var results = new List<IngestResult>();
        if (!await container.ExistsAsync(cancellationToken))
            return results;
        await foreach (var page in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, delimiter: "/", prefix: null, cancellationToken: cancellationToken)
                           .AsPages(pageSizeHint: options.Value.ListPageSize).WithCancellation(cancellationToken))
        {
            foreach (var item in page.Values.Where(v => v.IsPrefix))
            {
                var folder = item.Prefix.TrimEnd('/');
                if (await IsKnownAsync(container.Name, folder, cancellationToken) || await IsReadyAsync(container, folder, cancellationToken))
                {
                    var result = await ingestor.IngestAsync(container.Name, folder, cancellationToken);
                    ReportIfWithoutImages(result);
                    results.Add(result);
                }
            }
        }
        return results;
    }

    private void ReportIfWithoutImages(IngestResult result)
    {
        var key = $"{result.Container}/{result.Dataset}";
        if (result.Listed > 0)
        {
            _reportedWithoutImages.TryRemove(key, out _);
            return;
        }
        if (!_reportedWithoutImages.TryAdd(key, 0))
            return;
        var why = source.DescribeFolderWithoutImages(result.Container, result.Dataset);
        logger.LogWarning("Folder {Folder} is ready but nothing was queued: {Reason}; it is listed again every {Interval}",
            key, why, options.Value.PollInterval);
    }

    private async Task<bool> IsKnownAsync(string container, string folder, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Datasets.AnyAsync(d => d.Container == container && d.Path == folder, cancellationToken);
    }

    // One paged listing answers both questions: is the marker there, and when did the folder last change?
    private async Task<bool> IsReadyAsync(BlobContainerClient container, string folder, CancellationToken cancellationToken)
    {
        var marker = $"{folder}/{options.Value.ReadyMarker}";
        var latest = DateTimeOffset.MinValue;
        await foreach (var page in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: folder + "/", cancellationToken: cancellationToken)
                           .AsPages(pageSizeHint: options.Value.ListPageSize).WithCancellation(cancellationToken))
        {
            foreach (var blob in page.Values)
            {
                if (blob.Name == marker)
                    return true;
                if (blob.Properties.LastModified is { } modified && modified > latest)
                    latest = modified;
            }
        }
        return latest != DateTimeOffset.MinValue && Time.GetUtcNow() - latest >= options.Value.QuietPeriod;
    }

    protected override TimeSpan? Interval => options.Value.WatchEnabled ? options.Value.PollInterval : null;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => ScanAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) =>
        logger.LogWarning(exception, "Scanning container {Container} failed; trying again in {Interval}", options.Value.Container, options.Value.PollInterval);
}
