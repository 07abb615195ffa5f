using Fer.ImageSources;
using Fer.Ingest.Apis;
using Fer.Pipeline.Hosting;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fer.Ingest;

public static class IngestHostExtensions
{
    /// <summary>Everything the ingest host runs: database, blob storage, bus (publish only), ingestor, watcher, sweeper, classifier for /classify.</summary>
    public static IServiceCollection AddFerIngest(this IServiceCollection services, IConfiguration configuration) => services
        .AddFerDatabase(configuration)
        .AddFerBlobStorage(configuration)
        .AddFerIngestion(configuration)
        .AddFerClassifier(configuration)
        .AddFerBus(configuration)
        .AddPollingServices(configuration);

    /// <summary>POST /datasets/{container}/{folder}/submit and POST /classify.</summary>
    public static IEndpointRouteBuilder MapFerIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSubmitEndpoint();
        endpoints.MapClassifyEndpoint();
        return endpoints;
    }

    /// <summary>The folder watcher and the Pending sweeper (with the queue probe it asks), each also resolvable by its own type.</summary>
    private static IServiceCollection AddPollingServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<BlobFolderWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<BlobFolderWatcher>());
        services.AddSingleton<IWorkQueueProbe>(sp => new RabbitMqWorkQueueProbe(
            new Uri(configuration.GetConnectionString("RabbitMq")!), sp.GetRequiredService<IEndpointNameFormatter>(),
            sp.GetRequiredService<ILogger<RabbitMqWorkQueueProbe>>()));
        services.AddSingleton<PendingSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingSweeper>());
        return services;
    }
}
