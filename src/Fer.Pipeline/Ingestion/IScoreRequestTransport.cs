using Fer.Contracts;

namespace Fer.Pipeline.Ingestion;

/// <summary>Where <see cref="ScoreRequestPublisher"/> sends a request: the bus (RabbitMQ), or `fer run`'s in-process queue.</summary>
public interface IScoreRequestTransport
{
    /// <summary>Completes once the request is accepted (on RabbitMQ: confirmed by the broker).</summary>
    Task SendAsync(ScoreImage message, CancellationToken cancellationToken);
}
