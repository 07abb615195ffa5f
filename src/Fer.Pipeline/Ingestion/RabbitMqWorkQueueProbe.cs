using Fer.Pipeline.Scoring;
using MassTransit;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Passive declare of the worker queue (named by the bus's own endpoint formatter, prefix included): the broker
/// answers with its ready-message count without creating anything. A queue that does not exist yet holds nothing.
/// </summary>
public sealed class RabbitMqWorkQueueProbe(Uri brokerUri, IEndpointNameFormatter endpointNames, ILogger<RabbitMqWorkQueueProbe> logger)
    : IWorkQueueProbe, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public string QueueName { get; } = endpointNames.Consumer<ScoreImageBatchConsumer>();

    public async Task<bool> IsDrainedAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _connection ??= await new ConnectionFactory { Uri = brokerUri, ClientProvidedName = "fer-sweeper-probe" }
                .CreateConnectionAsync(cancellationToken);
            // A failed passive declare closes its channel, so every probe gets a fresh one.
            await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = await channel.QueueDeclarePassiveAsync(QueueName, cancellationToken);
            return queue.MessageCount == 0;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not read the depth of queue {Queue}; unfinished images are not re-published this pass", QueueName);
            await DropConnectionAsync();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is null)
            return;
        try { await _connection.DisposeAsync(); } catch (Exception) { /* already broken */ }
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync();
        _gate.Dispose();
    }
}
