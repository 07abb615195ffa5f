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
        services.AddCheckedOptions<IngestOptions>(configuration, IngestOptions.Section);
        services.Configure<SweeperOptions>(configuration.GetSection(SweeperOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IScoreRequestTransport, BusScoreRequestTransport>();
        services.TryAddSingleton<ScoreRequestPublisher>();
        services.TryAddSingleton<DatasetIngestor>();
        return services;
    }

    /// <summary>The batch handler and its dependencies; the worker registers its consumer on the bus, `fer run` a dispatcher.</summary>
    public static IServiceCollection AddFerScoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCheckedOptions<WorkerOptions>(configuration, WorkerOptions.Section);
        services.TryAddSingleton<CropFolderMarkers>();
        services.TryAddSingleton<BatchScorer>();
        services.TryAddSingleton<IScoreBatchHandler, ScoreBatchHandler>();
        return services.AddFerClassifier(configuration);
    }
}
