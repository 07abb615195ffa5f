using Fer.Data;
using Fer.Inference.Faces;
using Fer.Inference;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Persistence;
using Fer.Pipeline.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fer.Pipeline.Hosting;

/// <summary>The building blocks the hosts, the CLI and the tests compose.</summary>
public static class PipelineServiceExtensions
{
    /// <summary>One EmotionClassifier per process, loaded at start-up.</summary>
    public static IServiceCollection AddFerClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ModelOptions>(configuration.GetSection(ModelOptions.Section));
        services.TryAddSingleton(sp =>
        {
            var options = configuration.GetSection(ModelOptions.Section).Get<ModelOptions>() ?? new ModelOptions();
            return new EmotionClassifier(options.ToClassifierOptions());
        });
        services.Configure<FaceOptions>(configuration.GetSection(FaceOptions.Section));
        services.TryAddSingleton(_ => new FaceLocator(configuration.GetSection(FaceOptions.Section).Get<FaceOptions>() ?? new FaceOptions()));
        services.AddHostedService<ClassifierStartupLog>();
        return services;
    }

    /// <summary>The ingestor and its publisher (no watcher, no sweeper): enough for `fer submit`.</summary>
    public static IServiceCollection AddFerIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section))
            .AtLeast(IngestOptions.Section, nameof(IngestOptions.ListPageSize), o => o.ListPageSize, 1)
            .AtLeast(IngestOptions.Section, nameof(IngestOptions.WriteChunkSize), o => o.WriteChunkSize, 1)
            .ValidateOnStart();
        services.Configure<SweeperOptions>(configuration.GetSection(SweeperOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScoreRequestPublisher>();
        services.TryAddSingleton<DatasetIngestor>();
        return services;
    }

    /// <summary>The batch consumer's dependencies; the consumer itself is registered on the bus.</summary>
    public static IServiceCollection AddFerScoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section))
            .AtLeast(WorkerOptions.Section, nameof(WorkerOptions.MessageLimit), o => o.MessageLimit, 1)
            .AtLeast(WorkerOptions.Section, nameof(WorkerOptions.ConcurrencyLimit), o => o.ConcurrencyLimit, 1)
            .AtLeast(WorkerOptions.Section, nameof(WorkerOptions.PrefetchCount), o => o.PrefetchCount, 1)
            .AtLeast(WorkerOptions.Section, nameof(WorkerOptions.DownloadConcurrency), o => o.DownloadConcurrency, 1)
            .AtLeast(WorkerOptions.Section, nameof(WorkerOptions.RetryLimit), o => o.RetryLimit, 0)
            .ValidateOnStart();
        services.TryAddSingleton<CropFolderMarkers>();
        services.TryAddSingleton<BatchScorer>();
        return services.AddFerClassifier(configuration);
    }
}
