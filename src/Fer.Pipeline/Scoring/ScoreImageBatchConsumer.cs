using Fer.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// The worker's micro-batch from RabbitMQ, handed to <see cref="ScoreBatchHandler"/>; what it throws, MassTransit
/// retries (<see cref="ScoreImageBatchConsumerDefinition"/>) and, after the last retry, moves to the _error queue.
/// </summary>
public sealed class ScoreImageBatchConsumer(IScoreBatchHandler handler, IOptions<WorkerOptions> options) : IConsumer<Batch<ScoreImage>>
{
    private readonly WorkerOptions _options = options.Value;

    public Task Consume(ConsumeContext<Batch<ScoreImage>> context) =>
        handler.HandleAsync(context.Message.Select(ToDelivery).ToList(), lastAttempt: context.GetRetryAttempt() >= _options.RetryLimit,
            context.CancellationToken);

    private static ScoreDelivery ToDelivery(ConsumeContext<ScoreImage> message) =>
        new(message.Message, ImageSpans.SenderContext(message), message.SentTime);
}
