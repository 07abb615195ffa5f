using Fer.ImageSources;
using Fer.Ingest.Apis;
using Fer.Pipeline.Hosting;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Ingest;

public static class IngestHostExtensions
{
    /// <summary>Everything the ingest host runs: database, blob storage, bus (publish only), ingestor, watcher, sweeper, classifier for /classify.</summary>
    public static IHostApplicationBuilder AddFerIngest(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services
            .AddFerDatabase(configuration)
            .AddFerBlobStorage(configuration)
            .AddFerIngestion(configuration)
            .AddFerClassifier(configuration)
            .AddFerBus(configuration);
        builder.Services.AddSingleton<BlobFolderWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BlobFolderWatcher>());
        builder.Services.AddSingleton<IWorkQueueProbe>(sp => new RabbitMqWorkQueueProbe(
            new Uri(configuration.GetConnectionString("RabbitMq")!), sp.GetRequiredService<IEndpointNameFormatter>(),
            sp.GetRequiredService<ILogger<RabbitMqWorkQueueProbe>>()));
        builder.Services.AddSingleton<PendingSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PendingSweeper>());
        return builder;
    }

    /// <summary>POST /datasets/{container}/{folder}/submit and POST /classify.</summary>
    public static IEndpointRouteBuilder MapFerIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSubmitEndpoint();
        endpoints.MapClassifyEndpoint();
        return endpoints;
    }
}
