using System.Diagnostics;
using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Npgsql;

namespace Fer.Faults;

/// <summary>
/// What every scenario runs against: one fresh PostgreSQL database, broker prefix and blob container for the whole
/// suite, one ingest process (watcher on, sweeper on) and the worker processes. Scenarios use their own dataset folder,
/// so each one's counts are its own; the hosts keep running from one scenario to the next, as they would in production.
/// </summary>
public sealed class FaultStack : IAsyncDisposable
{
    public const string ApiKey = "faults-api-key";

    private readonly FaultSettings _settings;
    private readonly Dictionary<string, string> _environment;
    private readonly string _logs;
    private int _workerStarts;
    private int _ingestStarts;
    private string _workerConnection = "";

    private string WorkerRoleName => $"fer_worker_{_settings.RunId}";

    private FaultStack(FaultSettings settings, NpgsqlDataSource data, BlobContainerClient container, Dictionary<string, string> environment, string logs)
    {
        _settings = settings;
        Data = data;
        Container = container;
        _environment = environment;
        _logs = logs;
    }

    public NpgsqlDataSource Data { get; }
    public BlobContainerClient Container { get; }
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };
    public HostProcess Ingest { get; private set; } = null!;
    public List<HostProcess> Workers { get; } = [];
    public List<HostProcess> Retired { get; } = [];
    public string LogDirectory => _logs;

    public static async Task<FaultStack> StartAsync(FaultSettings settings)
    {
        var name = $"faults-{settings.RunId}";
        var database = name.Replace('-', '_');
        await TestServices.CreateDatabaseAsync(database, settings.Postgres);
        var connection = TestServices.PostgresFor(database, settings.Postgres);
        var container = new BlobServiceClient(settings.Blob).GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();

        var environment = HostProcess.SharedEnvironment(connection, settings.RabbitMq, settings.Blob, name, ApiKey);
        var stack = new FaultStack(settings, NpgsqlDataSource.Create(connection), container, environment, Path.Combine(settings.WorkDirectory, name));
        await stack.StartHostsAsync(settings.Workers);
        return stack;
    }

    private async Task StartHostsAsync(int workers)
    {
        // The ingest host migrates the new database; the workers wait for it, then declare their queue before any submit.
        Ingest = StartIngest();
        await Ingest.WaitUntilReadyAsync(Http, TimeSpan.FromMinutes(3));
        await FaultLedger.InstallAsync(Data);
        // Workers run with least privilege, as deploy/sql/worker-role.sql documents for production.
        // The owner's connection string as given: NpgsqlDataSource.ConnectionString leaves the password out.
        _workerConnection = await DatabaseRoles.ApplyAsync(_environment["ConnectionStrings__Postgres"], "worker-role.sql", "fer_worker", WorkerRoleName, _settings.RepoRoot);
        for (var i = 0; i < workers; i++)
            StartWorker();
        foreach (var worker in Workers)
            await worker.WaitUntilReadyAsync(Http, TimeSpan.FromMinutes(3));
    }

    private HostProcess StartIngest()
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            ["Fer__Database__MigrateOnStartup"] = "true",
            ["Fer__Ingest__Container"] = Container.Name,
            ["Fer__Ingest__WatchEnabled"] = "true",
            ["Fer__Ingest__PollInterval"] = "00:00:03",
            // Folders are submitted explicitly; the watcher only re-lists known folders (growing folder, killed ingest).
            ["Fer__Ingest__QuietPeriod"] = "01:00:00",
            ["Fer__Ingest__WriteChunkSize"] = "100",
            ["Fer__Sweeper__Enabled"] = "true",
            ["Fer__Sweeper__Interval"] = "00:00:05",
            ["Fer__Sweeper__UnpublishedGrace"] = "00:00:10",
        };
        if (_settings.RepublishUnfinishedAfter is { } after)
            environment["Fer__Sweeper__RepublishUnfinishedAfter"] = after.ToString("c");
        return HostProcess.Start(_settings.IngestDll, $"ingest-{++_ingestStarts}", environment, _settings.RepoRoot, _logs, appendToLog: true);
    }

    /// <summary>SIGKILL the ingest host and start a new one (same settings), ready when this returns.</summary>
    public async Task RestartIngestHardAsync()
    {
        await Ingest.KillHardAsync();
        Retired.Add(Ingest);
        Ingest = StartIngest();
        await Ingest.WaitUntilReadyAsync(Http, TimeSpan.FromMinutes(3));
    }

    /// <summary>Every running host answers /readyz (after an outage, the next scenario waits for reconnection).</summary>
    public async Task WaitAllReadyAsync(TimeSpan timeout)
    {
        foreach (var host in Workers.Append(Ingest))
            await host.WaitUntilReadyAsync(Http, timeout);
    }

    /// <summary>Starts one more worker process (worker-N); callers wait for it to be ready when they need to.</summary>
    public HostProcess StartWorker()
    {
        var worker = StartWorkerProcess($"worker-{++_workerStarts}", new Dictionary<string, string>());
        Workers.Add(worker);
        return worker;
    }

    /// <summary>
    /// A worker with some settings changed (a broken model path) that is expected to exit on its own: it is not one of
    /// <see cref="Workers"/>, so its exit is not a crash of the stack; it is disposed with the retired hosts.
    /// </summary>
    public HostProcess StartMisconfiguredWorker(string name, IReadOnlyDictionary<string, string> overrides)
    {
        var worker = StartWorkerProcess(name, overrides);
        Retired.Add(worker);
        return worker;
    }

    private HostProcess StartWorkerProcess(string id, IReadOnlyDictionary<string, string> overrides)
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            ["ConnectionStrings__Postgres"] = _workerConnection,
            ["Fer__Database__MigrateOnStartup"] = "false",
            ["Fer__Worker__WorkerId"] = id,
            // Small batches: a run is many micro-batches, so a fault lands in the middle of some.
            ["Fer__Worker__MessageLimit"] = _settings.MessageLimit.ToString(),
            ["Fer__Worker__TimeLimit"] = "00:00:00.050",
            ["Fer__Worker__ConcurrencyLimit"] = "2",
        };
        foreach (var (key, value) in overrides)
            environment[key] = value;
        return HostProcess.Start(_settings.WorkerDll, id, environment, _settings.RepoRoot, _logs);
    }

    /// <summary>
    /// A reports host (Fer.Reports) on the suite's database and storage, with <paramref name="settings"/> on top
    /// (schedule, report container). Started on demand by the scenarios that need one, killed by them; it is one of the
    /// retired hosts, so its death is never a crash of the stack.
    /// </summary>
    public HostProcess StartReports(string name, IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            ["Fer__Database__MigrateOnStartup"] = "false",
            // The published-report log lines say which run produced a report.
            ["Logging__LogLevel__Fer.Reporting"] = "Information",
        };
        foreach (var (key, value) in settings)
            environment[key] = value;
        var host = HostProcess.Start(_settings.ReportsDll, name, environment, _settings.RepoRoot, _logs);
        Retired.Add(host);
        return host;
    }

    public void Retire(HostProcess worker)
    {
        Workers.Remove(worker);
        Retired.Add(worker);
    }

    /// <summary>Uploads faces [from, to) of a folder, and the unscorable files with the first slice.</summary>
    public async Task UploadAsync(FaultImages images, string folder, int from, int to, int parallelism = 16)
    {
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var (path, png) = images.Face(i);
            await Container.GetBlobClient($"{folder}/{path}").UploadAsync(BinaryData.FromBytes(png), overwrite: true, ct);
        });
        if (from == 0)
            foreach (var (name, bytes) in FaultImages.Unscorable)
                await Container.GetBlobClient($"{folder}/{name}").UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
    }

    /// <summary>POST /datasets/{container}/{folder}/submit with the API key; returns the ingest result's "published".</summary>
    public Task<int> SubmitAsync(string folder) => Ingest.SubmitAsync(Http, ApiKey, Container.Name, folder);

    /// <summary>Waits until at least <paramref name="terminal"/> images of the folder are Scored or Failed.</summary>
    public async Task WaitForProgressAsync(string folder, int terminal, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (await FaultLedger.TryCountAsync(Data, Container.Name, folder) is { } counts && counts.Scored + counts.Failed >= terminal)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{folder}: fewer than {terminal} images finished within {timeout.TotalSeconds:0} s");
    }

    /// <summary>
    /// Waits until every expected image is terminal and nothing changed for <paramref name="quiet"/> (late redeliveries
    /// would show up as duplicates), or the timeout passes; returns the final counts.
    /// </summary>
    public async Task<FaultLedger.Counts> SettleAsync(string folder, int expected, TimeSpan timeout, TimeSpan quiet)
    {
        var watch = Stopwatch.StartNew();
        FaultLedger.Counts? last = null;
        var stableSince = TimeSpan.Zero;
        while (watch.Elapsed < timeout)
        {
            var counts = await FaultLedger.TryCountAsync(Data, Container.Name, folder);
            if (counts is not null && counts.Scored + counts.Failed >= expected && counts == last)
            {
                if (watch.Elapsed - stableSince >= quiet)
                    return counts;
            }
            else
            {
                stableSince = watch.Elapsed;
            }
            if (counts is not null)
                last = counts;
            await Task.Delay(250);
        }
        return await FaultLedger.CountAsync(Data, Container.Name, folder);
    }

    /// <summary>Hosts that died without being killed on purpose.</summary>
    public IEnumerable<HostProcess> Crashed() => Workers.Append(Ingest).Where(h => h.HasExited && !h.WasKilled);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Workers.Append(Ingest).Where(h => h is not null))
            await host.DisposeAsync();
        foreach (var host in Retired)
            await host.DisposeAsync();
        await Data.DisposeAsync();
        Http.Dispose();
        if (!_settings.Keep)
        {
            try
            {
                await Container.DeleteIfExistsAsync();
                await TestServices.DropDatabaseAsync(new NpgsqlConnectionStringBuilder(Data.ConnectionString).Database!, _settings.Postgres);
                await DatabaseRoles.DropAsync(WorkerRoleName, _settings.Postgres);
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"[faults] cleanup failed: {ex.Message}");
            }
        }
    }
}
