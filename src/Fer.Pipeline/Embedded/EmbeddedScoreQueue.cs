using System.Diagnostics;
using System.Threading.Channels;
using Fer.Contracts;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Scoring;

namespace Fer.Pipeline.Embedded;

/// <summary>
/// `fer run`'s queue from the ingestor to <see cref="EmbeddedBatchDispatcher"/>: requests stay objects in this process
/// (no bus, no serialisation). Bounded, so that listing a huge folder waits for the model instead of holding every
/// request in memory. Nothing here outlives the process: what a stopped run leaves Pending, <see cref="PendingRequeue"/>
/// sends again on the next run.
/// </summary>
public sealed class EmbeddedScoreQueue : IScoreRequestTransport
{
    private readonly Channel<ScoreDelivery> _channel;

    public EmbeddedScoreQueue(int capacity)
    {
        _channel = Channel.CreateBounded<ScoreDelivery>(new BoundedChannelOptions(capacity) { SingleReader = true });
    }

    public ChannelReader<ScoreDelivery> Reader => _channel.Reader;

    /// <summary>The caller's span (the image's "enqueue" span) becomes the parent of the image's "score-image" span.</summary>
    public Task SendAsync(ScoreImage message, CancellationToken cancellationToken)
    {
        var delivery = new ScoreDelivery(message, Activity.Current?.Context ?? default, DateTime.UtcNow);
        return _channel.Writer.TryWrite(delivery) ? Task.CompletedTask : _channel.Writer.WriteAsync(delivery, cancellationToken).AsTask();
    }
}
