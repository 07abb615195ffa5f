using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Publishes ScoreImage messages for Pending rows, then stamps PublishedAt. The RabbitMQ transport waits for
/// publisher confirms, so a stamped row is known to be on the broker; an unstamped one is re-published by the sweeper.
/// </summary>
public sealed class ScoreRequestPublisher(IBus bus, IDbContextFactory<FerDbContext> factory)
{
    public async Task<int> PublishAsync(IReadOnlyList<ScoreImage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
            return 0;
        await bus.PublishBatch(messages, cancellationToken);
        var ids = messages.Select(m => m.ImageId).ToList();
        var now = DateTimeOffset.UtcNow;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Images.Where(i => ids.Contains(i.Id) && i.State == ImageState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.PublishedAt, now), cancellationToken);
        return messages.Count;
    }
}
