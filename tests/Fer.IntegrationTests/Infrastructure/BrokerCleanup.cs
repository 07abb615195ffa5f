using RabbitMQ.Client;

namespace Fer.IntegrationTests.Infrastructure;

/// <summary>Deletes the queues and exchanges a test run created under its entity prefix, so repeated runs leave the broker clean.</summary>
public static class BrokerCleanup
{
    public static async Task DeleteAsync(string prefix)
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { $"{prefix}-score-image-batch", $"{prefix}-score-image-batch_error", $"{prefix}-score-image-batch_skipped" })
            await channel.QueueDeleteAsync(queue);
        foreach (var exchange in new[]
                 {
                     $"{prefix}-score-image-batch", $"{prefix}-score-image-batch_error", $"{prefix}-score-image-batch_skipped",
                     $"{prefix}.Fer.Contracts:ScoreImage", $"{prefix}.MassTransit:Fault--Fer.Contracts:ScoreImage--", $"{prefix}.MassTransit:Fault",
                 })
            await channel.ExchangeDeleteAsync(exchange);
    }
}
