using Fer.Data;
using Fer.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Closes the gap between "row committed" and "message confirmed": re-publishes Pending rows that never got a PublishedAt.
/// With <see cref="SweeperOptions.RepublishUnfinishedAfter"/> set it also re-publishes rows whose message was published
/// but never finished (its batch went to the _error queue, or the queue was purged), and only in a pass that finds
/// the work queue drained: while a backlog waits its messages are not lost, and re-publishing them would only
/// multiply the backlog.
/// </summary>
public sealed class PendingSweeper(
    IDbContextFactory<FerDbContext> factory,
    ScoreRequestPublisher publisher,
    IWorkQueueProbe workQueue,
    IOptions<SweeperOptions> options,
    TimeProvider time,
    ILogger<PendingSweeper> logger) : PollingService(time)
{
    /// <summary>One pass; returns how many messages were published.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var unpublishedBefore = now - options.Value.UnpublishedGrace;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = db.Images.AsNoTracking().Where(i => i.State == ImageState.Pending);
        var rows = await ScoreRequestPublisher.ReadRequestsAsync(
            pending.Where(i => i.PublishedAt == null && i.DiscoveredAt < unpublishedBefore), options.Value.BatchSize, cancellationToken);
        if (rows.Count < options.Value.BatchSize && options.Value.RepublishUnfinishedAfter is { } after)
        {
            var unfinishedBefore = now - after;
            var unfinished = pending.Where(i => i.PublishedAt != null && i.PublishedAt < unfinishedBefore);
            // Ask the broker only when there is something to re-publish: most passes find nothing.
            if (await unfinished.AnyAsync(cancellationToken) && await workQueue.IsDrainedAsync(cancellationToken))
                rows.AddRange(await ScoreRequestPublisher.ReadRequestsAsync(unfinished, options.Value.BatchSize - rows.Count, cancellationToken));
        }
        if (rows.Count == 0)
            return 0;
        // Only a sweep that found something gets a span (every image's trace links to it); idle ticks would be noise.
        using var activity = FerTelemetry.ActivitySource.StartActivity("sweep");
        activity?.SetTag(FerTelemetry.Tags.BatchSize, rows.Count);
        return await publisher.PublishAsync(rows, cancellationToken);
    }

    protected override TimeSpan? Interval => options.Value.Enabled ? options.Value.Interval : null;

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var count = await SweepAsync(cancellationToken);
        if (count > 0)
            logger.LogInformation("Re-published {Count} Pending images", count);
    }

    protected override void OnPassFailed(Exception exception) =>
        logger.LogWarning(exception, "Pending sweep failed; trying again in {Interval}", options.Value.Interval);
}
