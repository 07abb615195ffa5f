using Fer.Contracts;
using MassTransit;

namespace Fer.Pipeline.Ingestion;

/// <summary>Score requests as MassTransit messages; the send span and trace headers are MassTransit's.</summary>
public sealed class BusScoreRequestTransport(IBus bus) : IScoreRequestTransport
{
    public Task SendAsync(ScoreImage message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);
}
