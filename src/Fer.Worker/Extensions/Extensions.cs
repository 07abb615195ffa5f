using Fer.ImageSources;
using Fer.Pipeline.Hosting;
using Fer.Pipeline.Persistence;
using Fer.Pipeline.Scoring;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Worker;

public static class WorkerHostExtensions
{
    /// <summary>Everything the worker host runs: database, blob storage, classifier and the batch consumer on RabbitMQ.</summary>
    public static IServiceCollection AddFerWorker(this IServiceCollection services, IConfiguration configuration) => services
        .AddFerDatabase(configuration)
        .AddFerBlobStorage(configuration)
        .AddFerScoring(configuration)
        .AddFerBus(configuration, x => x.AddConsumer<ScoreImageBatchConsumer, ScoreImageBatchConsumerDefinition>());
}
