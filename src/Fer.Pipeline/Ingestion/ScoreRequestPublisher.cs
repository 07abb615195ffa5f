using System.Diagnostics;
using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Fer.ImageSources;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Publishes ScoreImage requests for Pending rows, then stamps PublishedAt. The RabbitMQ transport waits for
/// publisher confirms, so a stamped row is known to be on the broker; an unstamped one is re-published by the sweeper.
/// </summary>
public sealed class ScoreRequestPublisher(IScoreRequestTransport transport, IDbContextFactory<FerDbContext> factory)
{
    /// <summary>The messages for stored rows, oldest id first and at most <paramref name="limit"/>, each naming its blob through its dataset.</summary>
    public static Task<List<ScoreImage>> ReadRequestsAsync(IQueryable<ImageRecord> rows, int limit, CancellationToken cancellationToken) =>
        rows.OrderBy(i => i.Id).Take(limit)
            .Select(i => new ScoreImage(i.Id, i.DatasetId, i.Dataset!.Container, ImageFileNames.FullName(i.Dataset.Path, i.Path), i.ETag, i.Dataset.Path))
            .ToListAsync(cancellationToken);

    public async Task<int> PublishAsync(IReadOnlyList<ScoreImage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
            return 0;
        // The caller's span (ingest of a folder, or a sweep) is linked from each image's trace instead of parenting it:
        // a folder of 100k images would otherwise be one unreadable trace.
        var origin = Activity.Current?.Context;
        await Task.WhenAll(messages.Select(m => PublishOneAsync(m, origin, cancellationToken)));
        var ids = messages.Select(m => m.ImageId).ToList();
        var now = DateTimeOffset.UtcNow;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Images.Where(i => ids.Contains(i.Id) && i.State == ImageState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.PublishedAt, now), cancellationToken);
        return messages.Count;
    }

    /// <summary>Starts the image's own trace with an "enqueue" span; the transport's spans and the scorer's follow it.</summary>
    private async Task PublishOneAsync(ScoreImage message, ActivityContext? origin, CancellationToken cancellationToken)
    {
        // Cleared only inside this async method: the caller's Activity.Current is restored when it returns.
        Activity.Current = null;
        using var activity = FerTelemetry.ActivitySource.StartActivity("enqueue", ActivityKind.Internal, parentContext: default,
            tags: [new(FerTelemetry.Tags.ImageId, message.ImageId), new(FerTelemetry.Tags.DatasetId, message.DatasetId)],
            links: origin is { } context ? [new ActivityLink(context)] : null);
        activity?.SetTag("fer.blob", $"{message.Container}/{message.BlobName}");
        await transport.SendAsync(message, cancellationToken);
    }
}
