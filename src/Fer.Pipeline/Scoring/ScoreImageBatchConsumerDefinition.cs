using MassTransit;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Scoring;

/// <summary>Endpoint tuning from <c>Fer:Worker</c>: batch size and time limit, concurrency, prefetch and retry with back-off.</summary>
public sealed class ScoreImageBatchConsumerDefinition : ConsumerDefinition<ScoreImageBatchConsumer>
{
    private readonly WorkerOptions _options;

    public ScoreImageBatchConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
        Endpoint(e => e.PrefetchCount = Math.Max(_options.PrefetchCount, _options.MessageLimit * _options.ConcurrencyLimit));
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScoreImageBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Retry wraps the whole batch; per-image problems never throw, so only transient failures get here.
        consumerConfigurator.UseMessageRetry(r => r.Exponential(_options.RetryLimit, _options.RetryMinInterval,
            _options.RetryMaxInterval, _options.RetryIntervalDelta));
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(_options.MessageLimit)
            .SetTimeLimit(_options.TimeLimit)
            .SetConcurrencyLimit(_options.ConcurrencyLimit));
    }
}
