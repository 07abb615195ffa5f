using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;

namespace Fer.Bench;

/// <summary>
/// One distributed row: a fresh database and broker prefix, one ingest host and N worker processes, submit the blob
/// folder and wait until every image row is Scored or Failed. Leaves the ingest host running for the /classify row when asked.
/// </summary>
public sealed class DistributedBench(BenchSettings settings, HttpClient http)
{
    public const string ApiKey = "bench-api-key";

    public sealed record WorkerStats(string WorkerId, int Images, double AvgBatchSize, double AvgDecodeMs, double AvgBatchInferenceMs, double PeakRssMiB);

    public sealed record Row(int Workers, int Images, int Scored, int Failed, double Seconds, double ImagesPerSecond, double SubmitSeconds,
        double AvgBatchSize, IReadOnlyList<WorkerStats> WorkerStats, CpuAccounting.Profile Cpu);

    public async Task<Row> RunAsync(string folder, int workers, Func<HostProcess, Task>? withIngest = null)
    {
        var name = $"bench-{settings.RunId}-{workers}w";
        var database = name.Replace('-', '_');
        await TestServices.CreateDatabaseAsync(database);
        var environment = HostProcess.SharedEnvironment(TestServices.PostgresFor(database), TestServices.RabbitMq, TestServices.Blob, name, ApiKey);
        var logs = Path.Combine(settings.WorkDirectory, "logs", name);
        var hosts = new List<HostProcess>();
        try
        {
            // The ingest host migrates the new database.
            var ingest = HostProcess.Start(settings.IngestDll, "ingest", new Dictionary<string, string>(environment)
            {
                ["Fer__Database__MigrateOnStartup"] = "true",
                ["Fer__Ingest__Container"] = settings.Container,
                ["Fer__Ingest__WatchEnabled"] = "false",
                ["Fer__Sweeper__Enabled"] = "false",
            }, settings.RepoRoot, logs);
            hosts.Add(ingest);

            // Workers do not migrate; they may start with the ingest host because nothing reaches them before the
            // submit, which waits until the ingest host (and so the migration) is ready.
            var workerHosts = new List<HostProcess>();
            for (var i = 1; i <= workers; i++)
            {
                workerHosts.Add(HostProcess.Start(settings.WorkerDll, $"worker-{i}", new Dictionary<string, string>(environment)
                {
                    ["Fer__Database__MigrateOnStartup"] = "false",
                    ["Fer__Worker__WorkerId"] = $"worker-{i}",
                }, settings.RepoRoot, logs));
            }
            hosts.AddRange(workerHosts);
            // Every worker's queue binding must exist before the first publish, or messages would have nowhere to go.
            foreach (var host in hosts)
                await host.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(2));

            var roles = hosts.ToDictionary(h => h.Pid, h => h == ingest ? "ingest" : "worker");
            var cpu = CpuAccounting.Start(pid => roles.GetValueOrDefault(pid));
            var started = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            var published = await ingest.SubmitAsync(http, ApiKey, settings.Container, folder);
            var submitSeconds = watch.Elapsed.TotalSeconds;
            if (published != settings.ImageCount)
                throw new InvalidOperationException($"submit published {published} messages, expected {settings.ImageCount}");

            await using var data = NpgsqlDataSource.Create(TestServices.PostgresFor(database));
            var (scored, failed, lastCompleted) = await WaitUntilDoneAsync(data, workerHosts);
            var profile = cpu.Stop();
            var seconds = (lastCompleted - started).TotalSeconds;
            var stats = await WorkerStatsAsync(data, workerHosts);
            if (withIngest is not null)
            {
                foreach (var worker in workerHosts)
                    await worker.DisposeAsync();
                await withIngest(ingest);
            }
            return new Row(workers, settings.ImageCount, scored, failed, seconds, settings.ImageCount / seconds, submitSeconds,
                stats.Sum(s => s.AvgBatchSize * s.Images) / Math.Max(1, stats.Sum(s => s.Images)), stats, profile);
        }
        finally
        {
            foreach (var host in hosts)
                await host.DisposeAsync();
            // Cleanup that fails must not hide the row's own result or error.
            try
            {
                await BrokerCleanup.DeleteAsync(name);
                await TestServices.DropDatabaseAsync(database);
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"[bench] cleanup of {name} failed (left behind): {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    // The end is the last completed_at the workers wrote, so the polling interval does not count; a poll once a second
    // keeps the bench's own count over the images table (a few ms of PostgreSQL's CPU each) out of the row's figures.
    private async Task<(int Scored, int Failed, DateTimeOffset LastCompleted)> WaitUntilDoneAsync(NpgsqlDataSource data, List<HostProcess> workers)
    {
        var lastDone = -1;
        var lastChange = DateTime.UtcNow;
        while (true)
        {
            await using var command = data.CreateCommand(
                "SELECT count(*) FILTER (WHERE state = 1), count(*) FILTER (WHERE state = 2), count(*), max(completed_at) FROM images");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            int scored = (int)reader.GetInt64(0), failed = (int)reader.GetInt64(1), total = (int)reader.GetInt64(2);
            if (total == settings.ImageCount && scored + failed == total)
                return (scored, failed, reader.GetFieldValue<DateTimeOffset>(3));
            foreach (var worker in workers)
                worker.PeakRssMiB();
            if (scored + failed != lastDone)
            {
                lastDone = scored + failed;
                lastChange = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastChange > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"no progress for 2 minutes: {scored + failed} of {total} done; worker log tail:\n{workers[0].Tail()}");
            }
            await Task.Delay(1000);
        }
    }

    private static async Task<List<WorkerStats>> WorkerStatsAsync(NpgsqlDataSource data, List<HostProcess> workers)
    {
        await using var command = data.CreateCommand("""
            SELECT worker_id, count(*), avg(batch_size)::float8, avg(decode_ms)::float8, avg(inference_ms)::float8
              FROM predictions GROUP BY worker_id ORDER BY worker_id
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var stats = new List<WorkerStats>();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            var process = workers.FirstOrDefault(w => w.Name == id);
            stats.Add(new WorkerStats(id, (int)reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                process?.PeakRssMiB() ?? 0));
        }
        return stats;
    }
}
