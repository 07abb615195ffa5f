using Fer.Data.Persistence;
using Fer.Data;
using Fer.Data.Reports;
using Fer.ImageSources;
using Fer.Pipeline.Hosting;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Persistence;
using Fer.Pipeline.Scoring;
using Fer.Reporting.Publishing;
using Fer.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Pipeline.Embedded;

/// <summary>
/// `fer run`: the distributed pipeline in one process. The same ingestor and batch handler as the hosts, with an
/// in-process queue (<see cref="EmbeddedScoreQueue"/>, <see cref="EmbeddedBatchDispatcher"/>) instead of RabbitMQ,
/// a local folder instead of blob storage and SQLite instead of PostgreSQL.
/// </summary>
public static class EmbeddedRunner
{
    /// <summary>
    /// How long a stop waits for the host: every batch has been written or abandoned after
    /// <see cref="EmbeddedBatchDispatcher.StopGrace"/>, so there is nothing left to wait for by then.
    /// </summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    /// <summary>After a stop, how long a commit in progress may take to finish before the gate closes regardless.</summary>
    private static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Scores the folder. Cancelling <paramref name="cancellationToken"/> (Ctrl-C in <c>fer run</c>) stops the run: no new
    /// batch starts, the one in hand is written whole or not at all (one transaction), and the summary comes back with
    /// <see cref="EmbeddedRunSummary.Interrupted"/> set. Running again on the same database picks up where it stopped.
    /// </summary>
    public static async Task<EmbeddedRunSummary> RunAsync(EmbeddedRunOptions options, IProgress<EmbeddedRunProgress>? progress,
        CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"folder not found: {options.Folder}");
        var databasePath = Path.GetFullPath(options.DatabasePath);
        var dataset = LocalFolderImageSource.DatasetName(folder);

        // The folder's count, on another thread (the host's start runs on one core): the progress has a total long
        // before the listing, which runs only as far ahead of the model as the queue holds, reaches a large folder's end.
        using var counting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var folderCount = progress is null ? null : CountInBackground(dataset, options, counting.Token);

        var host = Build(options, databasePath);
        var stopped = false;
        try
        {
            return await RunAsync(host, options, dataset, databasePath, progress, folderCount, cancellationToken, s => stopped = s);
        }
        finally
        {
            counting.Cancel();
            // A host whose stop timed out is left to the process exit: disposing it would wait for what it is stuck on.
            if (stopped)
                host.Dispose();
        }
    }

    private static Task<int> CountInBackground(string dataset, EmbeddedRunOptions options, CancellationToken cancellationToken)
    {
        var count = Task.Run(() => LocalFolderImageSource.CountImagesAsync(dataset, FolderOptions(options), cancellationToken),
            cancellationToken);
        // Best effort: a folder the count cannot walk fails in the listing itself, with its reason.
        count.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        return count;
    }

    /// <summary>The listing rules of this run, one place for the listing and the count, so that the two agree.</summary>
    private static LocalFolderOptions FolderOptions(EmbeddedRunOptions options) => new() { FollowLinks = options.FollowLinks };

    private static async Task<EmbeddedRunSummary> RunAsync(IHost host, EmbeddedRunOptions options, string dataset,
        string databasePath, IProgress<EmbeddedRunProgress>? progress, Task<int>? folderCount, CancellationToken cancellationToken,
        Action<bool> stopped)
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<FerDbContext>>();
        long? datasetId = null;
        var changedSincePreviousRun = true;
        try
        {
            // The schema (EF Core's two models and the migrations, about half a second on one core) comes up to date on
            // another thread while the host starts on this one, which loads the ONNX model; nothing touches the database
            // before both are done.
            var schema = Task.Run(() => ApplySchemaAsync(factory, cancellationToken), cancellationToken);
            try
            {
                await host.StartAsync(cancellationToken);
            }
            finally
            {
                await schema.ContinueWith(_ => { }, TaskScheduler.Default); // a failed start still waits for the file's writer
            }
            await schema;
            var earlier = await EarlierRun.FindAsync(factory, dataset, cancellationToken);
            var listingProgress = new ListingProgress(factory, progress, earlier, folderCount);
            var listing = RequeueThenIngestAsync(host, options, dataset, earlier, listingProgress, cancellationToken);
            await listingProgress.ReportUntilAsync(listing, cancellationToken);
            var (ingested, requeued) = await listing;
            datasetId = ingested.DatasetId;
            changedSincePreviousRun = ingested.Added + ingested.Changed + ingested.Gone + requeued > 0;
            await WaitUntilDoneAsync(factory, host.Services.GetRequiredService<EmbeddedIdleSignal>(), ingested.DatasetId,
                options.StallTimeout, progress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopped(await StopAsync(host));
            // A stop that timed out may leave a batch running: no batch commits after this, so the counts below hold.
            await host.Services.GetRequiredService<PredictionWriteGate>().CloseAsync(InFlightWait);
            var listingUnfinished = datasetId is null; // set once the ingestor has listed the whole folder
            datasetId ??= await FindDatasetAsync(factory, dataset);
            var stoppedAt = datasetId is { } id
                ? await LoadSummaryAsync(factory, id, databasePath, CancellationToken.None)
                : EmbeddedRunSummary.Empty(dataset, databasePath);
            return stoppedAt with
            {
                Interrupted = true,
                ListingUnfinished = listingUnfinished,
                FolderCount = folderCount is { IsCompletedSuccessfully: true } ? folderCount.Result : null,
            };
        }
        catch
        {
            stopped(await StopAsync(host));
            throw;
        }
        stopped(await StopAsync(host));
        return await SummarizeAsync(host, factory, datasetId.Value, dataset, databasePath, changedSincePreviousRun);
    }

    /// <summary>
    /// The finished run's summary, and when the folder is labelled and something changed, the same report the Reports
    /// host publishes, written beside the SQLite file with thumbnails read through the run's own image source.
    /// </summary>
    private static async Task<EmbeddedRunSummary> SummarizeAsync(IHost host, IDbContextFactory<FerDbContext> factory, long datasetId,
        string dataset, string databasePath, bool changedSincePreviousRun)
    {
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        // A rerun over a folder that did not change would only write the same report again under a new time stamp.
        var nothingNew = !changedSincePreviousRun && await db.Reports.AnyAsync(r => r.DatasetId == datasetId, CancellationToken.None);
        await using var reportDb = await factory.CreateDbContextAsync(CancellationToken.None);
        var settings = new ReportSettings();
        var reports = new ReportService(reportDb, settings, FolderReportStore.NextToDatabase(databasePath),
            images: host.Services.GetRequiredService<IImageSource>());
        // The aggregates are queried once for both (queried by each at once, perf showed one core busy, not two). The
        // report is then built beside the rest of the summary (queries and first-run code, one core each) and published
        // only if the summary finds the folder labelled; an unlabelled folder's report is built for nothing, on an idle core.
        var aggregates = await new DatasetReportQuery(db).RunAsync(datasetId, nothingNew ? 0 : settings.MistakeCount, CancellationToken.None);
        var building = nothingNew ? null : Task.Run(() => reports.BuildAsync(datasetId, aggregates, CancellationToken.None));
        try
        {
            var summary = await EmbeddedRunSummary.LoadAsync(db, datasetId, databasePath, CancellationToken.None, aggregates);
            summary = summary with { Listing = host.Services.GetRequiredService<LocalFolderImageSource>().ListingReport(dataset) };
            if (building is null)
                return summary with { NothingNew = true };
            if (summary.Confusion is null)
                return summary;
            var published = await reports.PublishAsync(await building, ReportPublisher.OnDemandTrigger, CancellationToken.None);
            return summary with { ReportHtmlPath = published.HtmlLocation };
        }
        finally
        {
            // Its context is disposed on the way out: never under a build still running (whose failure, if unused, is moot).
            if (building is not null)
                await building.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<(IngestResult Ingested, int Requeued)> RequeueThenIngestAsync(IHost host, EmbeddedRunOptions options,
        string dataset, EarlierRun? earlier, ListingProgress listingProgress, CancellationToken cancellationToken)
    {
        // What an earlier run left Pending (stopped, killed, terminal closed) has no request any more: send it again, and
        // first, so a rerun finishes what the last one started before the listing queues anything new.
        var requeued = earlier is null
            ? 0
            : await host.Services.GetRequiredService<PendingRequeue>().RequeueAsync(earlier.DatasetId, LocalFolderImageSource.Container,
                dataset, publishedBefore: DateTimeOffset.UtcNow, cancellationToken);
        var ingested = await host.Services.GetRequiredService<DatasetIngestor>()
            .IngestAsync(LocalFolderImageSource.Container, dataset, cancellationToken, options.Name, listingProgress.OnListed);
        return (ingested, requeued);
    }

    /// <returns>true when the host stopped within <see cref="StopTimeout"/> (and so may be disposed)</returns>
    private static async Task<bool> StopAsync(IHost host)
    {
        // Stopping the dispatcher lets the batch in hand finish its one-transaction write; one that takes longer is abandoned,
        // and its transaction never commits, so its rows stay Pending for the next run. Some parts of a stop do not
        // honour a token, so the wait itself is bounded too.
        using var timeout = new CancellationTokenSource(StopTimeout);
        var stop = host.StopAsync(timeout.Token);
        var finished = await Task.WhenAny(stop, Task.Delay(StopTimeout + TimeSpan.FromSeconds(1))) == stop;
        if (finished)
            await stop.ContinueWith(_ => { }, TaskScheduler.Default); // a cancelled stop is still a stop
        return finished;
    }

    private static async Task ApplySchemaAsync(IDbContextFactory<FerDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await DatabaseSchema.ApplyAsync(db, cancellationToken);
    }

    private static async Task<long?> FindDatasetAsync(IDbContextFactory<FerDbContext> factory, string dataset)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync();
            return await EmbeddedDatasetQueries.FindIdAsync(db, dataset, CancellationToken.None);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return null; // interrupted before the schema existed
        }
    }

    private static async Task<EmbeddedRunSummary> LoadSummaryAsync(IDbContextFactory<FerDbContext> factory, long datasetId, string databasePath,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await EmbeddedRunSummary.LoadAsync(db, datasetId, databasePath, cancellationToken);
    }

    private static IHost Build(EmbeddedRunOptions options, string databasePath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={databasePath}",
            [$"{DatabaseOptions.Section}:Provider"] = DatabaseProviders.Sqlite,
            // Applied by the runner itself, beside the host's start (RunAsync).
            [$"{DatabaseOptions.Section}:MigrateOnStartup"] = "false",
            [$"{ModelOptions.Section}:Path"] = options.ModelPath,
            [$"{ModelOptions.Section}:IntraOpThreads"] = options.IntraOpThreads.ToString(),
            [$"{ModelOptions.Section}:PreferCuda"] = "false",
            [$"{WorkerOptions.Section}:MessageLimit"] = options.MessageLimit.ToString(),
            // SQLite has one writer; in WAL mode the second batch's model run overlaps the first one's short write.
            [$"{WorkerOptions.Section}:ConcurrencyLimit"] = options.ConcurrencyLimit.ToString(),
            [$"{WorkerOptions.Section}:WorkerId"] = "embedded",
            [$"{Fer.Inference.Faces.FaceOptions.Section}:Mode"] = options.Faces.ToString(),
            [$"{Fer.Inference.Faces.FaceOptions.Section}:Detector"] = options.Detector.ToString(),
        });
        builder.Logging.ClearProviders();
        // The generic host's console lifetime would take SIGINT/SIGTERM for itself (and swallow them); `fer run`
        // owns its signals and cancels the run instead.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddSingleton<PendingRequeue>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = StopTimeout);
        // Requests stay objects in this process: no bus, no serialisation (through MassTransit's in-memory transport, which
        // serialises every message, a run took ~6 % longer: bench/RESULTS.md). A few batches' worth queue ahead of the model.
        builder.Services.AddSingleton(new EmbeddedScoreQueue(Math.Max(1024, 4 * options.MessageLimit * options.ConcurrencyLimit)));
        builder.Services.AddSingleton<IScoreRequestTransport>(sp => sp.GetRequiredService<EmbeddedScoreQueue>());
        builder.Services.AddSingleton<EmbeddedIdleSignal>();
        builder.Services
            .AddFerDatabase(builder.Configuration)
            .AddSingleton(new LocalFolderImageSource(FolderOptions(options)))
            .AddSingleton<IImageSource>(sp => sp.GetRequiredService<LocalFolderImageSource>())
            .AddFerIngestion(builder.Configuration)
            .AddFerScoring(builder.Configuration)
            .AddHostedService<EmbeddedBatchDispatcher>();
        return builder.Build();
    }

    /// <summary>How often the run asks the database how many images are still pending.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private static async Task WaitUntilDoneAsync(IDbContextFactory<FerDbContext> factory, EmbeddedIdleSignal idle, long datasetId,
        TimeSpan stallTimeout, IProgress<EmbeddedRunProgress>? progress, CancellationToken cancellationToken)
    {
        // The folder is fully listed by now and nothing else writes this file, so the total is counted once; each poll
        // counts only the Pending rows, through the (state, published_at) index, which gets cheaper as the run goes.
        // (Two full counts every 100 ms cost about a twentieth of the machine on a 20,000-image folder.)
        int total;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            total = await EmbeddedDatasetQueries.CountKnownAsync(db, datasetId, cancellationToken);
        var lastPending = -1;
        var lastChange = DateTime.UtcNow;
        var interval = TimeSpan.FromMilliseconds(25); // a small folder is done in well under one full interval
        while (true)
        {
            // Taken before the count: the dispatcher going idle after it wakes the wait below at once.
            var idleAgain = idle.Next;
            int pending;
            await using (var db = await factory.CreateDbContextAsync(cancellationToken))
                pending = await EmbeddedDatasetQueries.CountPendingAsync(db, datasetId, cancellationToken);
            progress?.Report(new EmbeddedRunProgress(total - pending, total));
            if (pending == 0)
                return;
            if (pending != lastPending)
            {
                lastPending = pending;
                lastChange = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastChange > stallTimeout)
            {
                throw new TimeoutException($"no progress for {stallTimeout.TotalSeconds:0} s: {pending} images still pending");
            }
            await Task.WhenAny(idleAgain, Task.Delay(interval, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, PollInterval.Ticks));
        }
    }
}
