using Fer.Data;
using Fer.Data.Entities;
using Fer.Pipeline.Hosting;
using Fer.Pipeline.Images;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Persistence;
using Fer.Pipeline.Reports;
using Fer.Pipeline.Scoring;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Pipeline.Embedded;

/// <summary>
/// `fer run`: the distributed pipeline in one process. The same ingestor and batch consumer, with the in-memory
/// transport instead of RabbitMQ, a local folder instead of blob storage and SQLite instead of PostgreSQL.
/// </summary>
public static class EmbeddedRunner
{
    public static async Task<EmbeddedRunSummary> RunAsync(EmbeddedRunOptions options, IProgress<EmbeddedRunProgress>? progress,
        CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"folder not found: {options.Folder}");
        var databasePath = Path.GetFullPath(options.DatabasePath);

        using var host = Build(options, databasePath);
        await host.StartAsync(cancellationToken);
        try
        {
            var ingestor = host.Services.GetRequiredService<DatasetIngestor>();
            var ingested = await ingestor.IngestAsync(LocalFolderImageSource.Container, LocalFolderImageSource.DatasetName(folder), cancellationToken);
            var factory = host.Services.GetRequiredService<IDbContextFactory<FerDbContext>>();
            await WaitUntilDoneAsync(factory, ingested.DatasetId, options.StallTimeout, progress, cancellationToken);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var summary = await EmbeddedRunSummary.LoadAsync(db, ingested.DatasetId, databasePath, cancellationToken);
            summary = summary with { Listing = host.Services.GetRequiredService<LocalFolderImageSource>().ListingReport(ingested.Dataset) };
            return summary.Confusion is null
                ? summary
                : summary with { ReportHtmlPath = await PublishReportAsync(db, ingested.DatasetId, folder, databasePath, cancellationToken) };
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    // A labelled folder gets the same report the distributed Reports host publishes, written beside the SQLite file.
    private static async Task<string> PublishReportAsync(FerDbContext db, long datasetId, string folder, string databasePath,
        CancellationToken cancellationToken)
    {
        var report = await ReportGenerator.GenerateAsync(db, datasetId,
            new ReportOptions { ImageSource = ReportImageSources.FromFolder(folder) }, cancellationToken);
        var published = await new ReportPublisher(FolderReportStore.NextToDatabase(databasePath))
            .PublishAsync(db, report, ReportPublisher.OnDemandTrigger, cancellationToken);
        return published.HtmlLocation;
    }

    private static IHost Build(EmbeddedRunOptions options, string databasePath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={databasePath}",
            [$"{DatabaseOptions.Section}:Provider"] = DatabaseProviders.Sqlite,
            [$"{DatabaseOptions.Section}:MigrateOnStartup"] = "true",
            [$"{ModelOptions.Section}:Path"] = options.ModelPath,
            [$"{ModelOptions.Section}:IntraOpThreads"] = options.IntraOpThreads.ToString(),
            [$"{ModelOptions.Section}:PreferCuda"] = "false",
            [$"{WorkerOptions.Section}:MessageLimit"] = options.MessageLimit.ToString(),
            // SQLite has one writer; in WAL mode the second batch's model run overlaps the first one's short write.
            [$"{WorkerOptions.Section}:ConcurrencyLimit"] = options.ConcurrencyLimit.ToString(),
            [$"{WorkerOptions.Section}:WorkerId"] = "embedded",
            [$"{Fer.Core.Faces.FaceOptions.Section}:Mode"] = options.Faces.ToString(),
            [$"{Fer.Core.Faces.FaceOptions.Section}:Detector"] = options.Detector.ToString(),
        });
        builder.Logging.ClearProviders();
        builder.Services
            .AddFerDatabase(builder.Configuration)
            .AddSingleton(new LocalFolderImageSource(new LocalFolderOptions { FollowLinks = options.FollowLinks }))
            .AddSingleton<IImageSource>(sp => sp.GetRequiredService<LocalFolderImageSource>())
            .AddFerIngestion(builder.Configuration)
            .AddFerScoring(builder.Configuration)
            .AddFerBus(builder.Configuration, x => x.AddConsumer<ScoreImageBatchConsumer, ScoreImageBatchConsumerDefinition>(), inMemory: true);
        return builder.Build();
    }

    private static async Task WaitUntilDoneAsync(IDbContextFactory<FerDbContext> factory, long datasetId, TimeSpan stallTimeout,
        IProgress<EmbeddedRunProgress>? progress, CancellationToken cancellationToken)
    {
        var lastDone = -1;
        var lastChange = DateTime.UtcNow;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var images = db.Images.Where(i => i.DatasetId == datasetId);
            var total = await images.CountAsync(cancellationToken);
            var done = await images.CountAsync(i => i.State != ImageState.Pending, cancellationToken);
            progress?.Report(new EmbeddedRunProgress(done, total));
            if (done == total)
                return;
            if (done != lastDone)
            {
                lastDone = done;
                lastChange = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastChange > stallTimeout)
            {
                throw new TimeoutException($"no progress for {stallTimeout.TotalSeconds:0} s: {total - done} images still pending");
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
