using System.Text;
using System.Text.Json;
using Fer.Contracts;
using RabbitMQ.Client;

namespace Fer.Faults;

/// <summary>
/// Raw AMQP access to the workers' queue, past the ingest host: poison messages, and ScoreImage messages published a
/// second time in MassTransit's envelope exactly as the ingest host publishes them.
/// </summary>
public static class WorkQueue
{
    public const string EnvelopeContentType = "application/vnd.masstransit+json";

    public static string Queue(string prefix) => $"{prefix}-score-image-batch";
    public static string SkippedQueue(string prefix) => $"{prefix}-score-image-batch_skipped";

    public static async Task PublishAsync(string rabbitMq, string prefix, IEnumerable<(byte[] Body, string? ContentType)> messages)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        foreach (var (body, contentType) in messages)
        {
            var properties = new BasicProperties { Persistent = true, ContentType = contentType, MessageId = Guid.NewGuid().ToString() };
            await channel.BasicPublishAsync("", Queue(prefix), mandatory: true, properties, body);
        }
    }

    /// <summary>A MassTransit JSON envelope for one ScoreImage, with the given message id.</summary>
    public static byte[] Envelope(ScoreImage message, Guid messageId) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        messageId,
        messageType = new[] { "urn:message:Fer.Contracts:ScoreImage" },
        message,
        sentTime = DateTime.UtcNow,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Messages in a queue, 0 when it does not exist.</summary>
    public static async Task<uint> CountAsync(string rabbitMq, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>Takes the messages whose body contains <paramref name="marker"/> out of a queue; returns how many. Others stay.</summary>
    public static async Task<int> RemoveMarkedAsync(string rabbitMq, string queue, string marker)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var removed = 0;
        var others = new List<ulong>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
            {
                if (Encoding.UTF8.GetString(message.Body.Span).Contains(marker, StringComparison.Ordinal))
                {
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
                    removed++;
                }
                else
                {
                    others.Add(message.DeliveryTag);
                }
            }
            foreach (var tag in others)
                await channel.BasicNackAsync(tag, multiple: false, requeue: true);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // no such queue
        }
        return removed;
    }
}
