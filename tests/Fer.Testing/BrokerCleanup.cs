using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Fer.Testing;

/// <summary>The queues and exchanges the hosts declare under an entity prefix: how many batches gave up, and cleanup afterwards.</summary>
public static class BrokerCleanup
{
    public static string WorkQueue(string prefix) => $"{prefix}-score-image-batch";
    public static string ErrorQueue(string prefix) => $"{prefix}-score-image-batch_error";
    public static string SkippedQueue(string prefix) => $"{prefix}-score-image-batch_skipped";

    /// <summary>Deletes what a run created under <paramref name="prefix"/>, so repeated runs leave the broker clean.</summary>
    public static async Task DeleteAsync(string prefix, string? rabbitMq = null)
    {
        await using var connection = await ConnectAsync(rabbitMq);
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { WorkQueue(prefix), ErrorQueue(prefix), SkippedQueue(prefix) })
            await channel.QueueDeleteAsync(queue);
        foreach (var exchange in new[]
                 {
                     WorkQueue(prefix), ErrorQueue(prefix), SkippedQueue(prefix),
                     $"{prefix}.Fer.Contracts:ScoreImage", $"{prefix}.MassTransit:Fault--Fer.Contracts:ScoreImage--", $"{prefix}.MassTransit:Fault",
                 })
            await channel.ExchangeDeleteAsync(exchange);
    }

    /// <summary>Messages in the error queue (batches that gave up after their retries); 0 when it was never created.</summary>
    public static async Task<uint> ErrorMessagesAsync(string prefix, string? rabbitMq = null)
    {
        await using var connection = await ConnectAsync(rabbitMq);
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(ErrorQueue(prefix))).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }

    private static Task<IConnection> ConnectAsync(string? rabbitMq) =>
        new ConnectionFactory { Uri = new Uri(rabbitMq ?? TestServices.RabbitMq) }.CreateConnectionAsync();
}
