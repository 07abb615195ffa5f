using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Fer.Pipeline.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Ingestion;

/// <summary>Closes the gap between "row committed" and "message confirmed": re-publishes Pending rows that never got a PublishedAt.</summary>
public sealed class PendingSweeper(
    IDbContextFactory<FerDbContext> factory,
    ScoreRequestPublisher publisher,
    IOptions<SweeperOptions> options,
    TimeProvider time,
    ILogger<PendingSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                var count = await SweepAsync(stoppingToken);
                if (count > 0)
                    logger.LogInformation("Re-published {Count} Pending images", count);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Pending sweep failed; trying again in {Interval}", options.Value.Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; returns how many messages were published.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var unpublishedBefore = now - options.Value.UnpublishedGrace;
        DateTimeOffset? unfinishedBefore = options.Value.RepublishUnfinishedAfter is { } after ? now - after : null;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Images.AsNoTracking().Where(i => i.State == ImageState.Pending &&
            ((i.PublishedAt == null && i.DiscoveredAt < unpublishedBefore) ||
             (unfinishedBefore != null && i.PublishedAt != null && i.PublishedAt < unfinishedBefore)));
        var rows = await query.OrderBy(i => i.Id).Take(options.Value.BatchSize)
            .Select(i => new { i.Id, i.DatasetId, i.Path, i.ETag, i.Dataset!.Container, Dataset = i.Dataset.Name })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return 0;
        // Only a sweep that found something gets a span (every image's trace links to it); idle ticks would be noise.
        using var activity = FerTelemetry.ActivitySource.StartActivity("sweep");
        activity?.SetTag(FerTelemetry.Tags.BatchSize, rows.Count);
        var messages = rows.Select(r => new ScoreImage(r.Id, r.DatasetId, r.Container, ImageFileNames.FullName(r.Dataset, r.Path), r.ETag, r.Dataset)).ToList();
        return await publisher.PublishAsync(messages, cancellationToken);
    }
}
