using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Fer.Faults;

/// <summary>The suite's queues on the broker: how many batches ended in the error queue, and cleanup afterwards.</summary>
public static class BrokerQueues
{
    public static string ErrorQueue(string prefix) => $"{prefix}-score-image-batch_error";

    /// <summary>Messages in the error queue (batches that gave up after their retries); 0 when it was never created.</summary>
    public static async Task<uint> ErrorMessagesAsync(string rabbitMq, string prefix)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
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

    public static async Task DeleteAsync(string rabbitMq, string prefix)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { $"{prefix}-score-image-batch", ErrorQueue(prefix), $"{prefix}-score-image-batch_skipped" })
            await channel.QueueDeleteAsync(queue);
        foreach (var exchange in new[]
                 {
                     $"{prefix}-score-image-batch", ErrorQueue(prefix), $"{prefix}-score-image-batch_skipped",
                     $"{prefix}.Fer.Contracts:ScoreImage", $"{prefix}.MassTransit:Fault--Fer.Contracts:ScoreImage--", $"{prefix}.MassTransit:Fault",
                 })
            await channel.ExchangeDeleteAsync(exchange);
    }
}
