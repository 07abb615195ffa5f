using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Fer.Reporting.Publishing;
using Npgsql;

namespace Fer.Faults.Scenarios;

/// <summary>
/// The reports host (Fer.Reports as its own process) killed with SIGKILL in the middle of a report, once in a nightly
/// run and once in an on-demand POST /reports/{dataset}. To land the kill inside the report every time, the scenario
/// holds an EXCLUSIVE lock on the reports table (reads go on, the report's INSERT waits) and kills the host once
/// PostgreSQL shows that INSERT waiting: the report has been computed and its files written, its row not committed.
/// <para>
/// Nightly: the waiting backend is ended with the host (as a machine crash would), so the attempt leaves no row; GET
/// .../latest answers 404 until the next nightly run produces the report, then exactly the stored row. On demand: the
/// backend is left alone, so the INSERT the dead host had sent commits once the lock goes (a whole row, its files
/// already written); the client got no 201 and a repeated POST produces a report. Every reports row has its three files
/// in blob storage, each identical to the row's rendering, and no blob is partial.
/// </para>
/// </summary>
public sealed class KillReportsScenario() : FaultScenario("reports-sigkill", "reports host SIGKILL mid-report (nightly and on demand)")
{
    // The nightly run every minute: the shortest cron the host accepts (five fields).
    private const string EveryMinute = "* * * * *";
    private static readonly TimeSpan NightlyWait = TimeSpan.FromSeconds(150);

    public override async Task<FaultRow> RunAsync(FaultContext context)
    {
        var stack = context.Stack;
        var settings = context.Settings;
        var folder = Name;
        await UploadFolderAsync(context);
        var published = await stack.SubmitAsync(folder);
        var counts = await SettleFolderAsync(context);

        var reports = new BlobServiceClient(settings.Blob).GetBlobContainerClient($"faults-{settings.RunId}-reports");
        var hostSettings = new Dictionary<string, string>
        {
            ["Fer__Reports__Container"] = reports.Name,
            ["Fer__Reports__Schedule"] = EveryMinute,
        };
        var datasetId = await DatasetIdAsync(stack, folder);
        var notes = new List<string>();
        var problems = new List<string>();
        var hosts = 0;
        try
        {
            // 1. Nightly: killed while its INSERT waits on the lock.
            var nightly = stack.StartReports($"reports-{++hosts}", hostSettings);
            await nightly.WaitUntilReadyAsync(stack.Http, TimeSpan.FromMinutes(2));
            await using (await LockReportsAsync(stack))
            {
                var waited = await WaitForBlockedInsertAsync(stack, NightlyWait);
                if (waited is null)
                    throw new TimeoutException($"no nightly report reached its INSERT within {NightlyWait.TotalSeconds:0} s; see {nightly.LogPath}");
                await nightly.KillHardAsync();
                // A backend waiting on a lock does not read its socket, so it would not notice the dead client and would run
                // the INSERT already sent once the lock goes: end it, as a crash of the host's machine would.
                var ended = await TerminateWaitingAsync(stack);
                notes.Add($"nightly report killed {waited.Value.TotalSeconds:0} s after the host was ready, its INSERT waiting " +
                          $"({ended} waiting backend ended with it)");
            }
            await SettleLocksAsync(stack);
            await CheckAsync(stack, reports, folder, datasetId, [0], "after the nightly kill", problems);

            // 2. The next host's nightly run produces it; until then latest is 404, never a partial page.
            var next = stack.StartReports($"reports-{++hosts}", hostSettings);
            await next.WaitUntilReadyAsync(stack.Http, TimeSpan.FromMinutes(2));
            var deadline = DateTime.UtcNow + NightlyWait;
            var notYet = 0;
            while (await RowCountAsync(stack, datasetId) == 0 && DateTime.UtcNow < deadline)
            {
                var (status, _) = await LatestAsync(stack, next, folder);
                if (status == HttpStatusCode.NotFound)
                    notYet++;
                else if (await RowCountAsync(stack, datasetId) == 0)
                    problems.Add($"GET latest answered {(int)status} before any report was stored");
                await Task.Delay(500);
            }
            if (await RowCountAsync(stack, datasetId) == 0)
                throw new TimeoutException($"the next nightly run produced no report within {NightlyWait.TotalSeconds:0} s; see {next.LogPath}");
            await CheckAsync(stack, reports, folder, datasetId, [1], "after the next nightly run", problems);
            await CheckLatestAsync(stack, next, folder, datasetId, problems);
            notes.Add($"the next host's nightly run produced it (GET latest answered 404 {notYet} times before, never a partial page)");

            // 3. On demand: the POST's host killed while its INSERT waits; the client gets no 201.
            await using (await LockReportsAsync(stack))
            {
                var post = PostReportAsync(stack, next, folder);
                if (await WaitForBlockedInsertAsync(stack, TimeSpan.FromMinutes(1)) is null)
                    throw new TimeoutException($"the on-demand report never reached its INSERT; see {next.LogPath}");
                await next.KillHardAsync();
                try
                {
                    var status = await post;
                    problems.Add($"the killed host's POST answered {(int)status}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // expected: the connection died with the host
                }
            }
            // Here the backend is left alone: the INSERT the dead host had sent runs once the lock goes, and commits a whole
            // row whose files were written before it (with the files-first order that is safe; with a row-first order it
            // would be a row without files).
            await SettleLocksAsync(stack);
            var afterOnDemandKill = await RowCountAsync(stack, datasetId);
            await CheckAsync(stack, reports, folder, datasetId, [1, 2], "after the on-demand kill", problems);
            var last = stack.StartReports($"reports-{++hosts}", hostSettings);
            await last.WaitUntilReadyAsync(stack.Http, TimeSpan.FromMinutes(2));
            var retried = await PostReportAsync(stack, last, folder);
            if (retried != HttpStatusCode.Created)
                problems.Add($"the repeated POST answered {(int)retried}");
            await CheckAsync(stack, reports, folder, datasetId, [afterOnDemandKill + 1], "after the repeated POST", problems);
            await CheckLatestAsync(stack, last, folder, datasetId, problems);
            var orphans = await OrphanStemsAsync(stack, reports, folder, datasetId);
            notes.Add($"on-demand POST killed the same way (no 201; its INSERT, already sent, {(afterOnDemandKill == 2 ? "committed whole after the kill" : "never ran")}), " +
                      $"the repeated POST answered {(int)retried}; {orphans} killed attempt(s) left complete files and no row; every row's 3 blobs equal its rendering");
        }
        finally
        {
            if (!settings.Keep)
                await reports.DeleteIfExistsAsync();
        }
        if (problems.Count > 0)
            throw new InvalidOperationException(string.Join("; ", problems));
        return FaultRow.From(Fault, context.Expected, counts, $"submit published {published}; " + string.Join("; ", notes));
    }

    private static async Task<long> DatasetIdAsync(FaultStack stack, string folder)
    {
        await using var command = stack.Data.CreateCommand("SELECT id FROM datasets WHERE container = @container AND name = @dataset");
        command.Parameters.AddWithValue("container", stack.Container.Name);
        command.Parameters.AddWithValue("dataset", folder);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A transaction holding EXCLUSIVE on reports: SELECTs go on, an INSERT waits until it is disposed (rolled back).</summary>
    private static async Task<ReportsLock> LockReportsAsync(FaultStack stack)
    {
        var connection = await stack.Data.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE reports IN EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new ReportsLock(connection, transaction);
    }

    private sealed class ReportsLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Waits until some session waits for a lock on reports; returns how long that took, null on timeout.</summary>
    private static async Task<TimeSpan?> WaitForBlockedInsertAsync(FaultStack stack, TimeSpan timeout)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            await using var command = stack.Data.CreateCommand("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                 WHERE c.relname = 'reports' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND NOT l.granted
                """);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
                return watch.Elapsed;
            await Task.Delay(100);
        }
        return null;
    }

    private const string WaitingOnReports = """
        SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE c.relname = 'reports' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND NOT l.granted
        """;

    private static async Task<int> TerminateWaitingAsync(FaultStack stack)
    {
        await using var command = stack.Data.CreateCommand($"SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM ({WaitingOnReports}) w");
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until no session waits on reports any more (a released INSERT has run), then a moment more.</summary>
    private static async Task SettleLocksAsync(FaultStack stack)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var command = stack.Data.CreateCommand($"SELECT count(*) FROM ({WaitingOnReports}) w");
            if ((long)(await command.ExecuteScalarAsync())! == 0)
                break;
            await Task.Delay(100);
        }
        await Task.Delay(1000);
    }

    private static async Task<long> RowCountAsync(FaultStack stack, long datasetId)
    {
        await using var command = stack.Data.CreateCommand("SELECT count(*) FROM reports WHERE dataset_id = @id");
        command.Parameters.AddWithValue("id", datasetId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<HttpStatusCode> PostReportAsync(FaultStack stack, HostProcess host, string folder)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, $"/reports/{folder}?container={stack.Container.Name}"));
        request.Headers.Add("X-Api-Key", FaultStack.ApiKey);
        using var response = await stack.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<(HttpStatusCode Status, string Body)> LatestAsync(FaultStack stack, HostProcess host, string folder)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, $"/reports/{folder}/latest?container={stack.Container.Name}"));
        request.Headers.Add("X-Api-Key", FaultStack.ApiKey);
        using var response = await stack.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private sealed record StoredReport(long Id, DateTimeOffset CreatedAt, string Html, string Json, string Markdown)
    {
        public string Stem(string dataset) =>
            ReportPublisher.StemOf(dataset, CreatedAt);
    }

    private static async Task<List<StoredReport>> RowsAsync(FaultStack stack, long datasetId)
    {
        await using var command = stack.Data.CreateCommand("SELECT id, created_at, html, json, markdown FROM reports WHERE dataset_id = @id ORDER BY id");
        command.Parameters.AddWithValue("id", datasetId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredReport>();
        while (await reader.ReadAsync())
            rows.Add(new StoredReport(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return rows;
    }

    /// <summary>
    /// The dataset has <paramref name="expectedRows"/> reports; each is whole (HTML closed, JSON parses) and its three
    /// blobs hold exactly its renderings; every other blob of the dataset is whole too.
    /// </summary>
    private static async Task CheckAsync(FaultStack stack, BlobContainerClient reports, string folder, long datasetId, long[] expectedRows,
        string when, List<string> problems)
    {
        var rows = await RowsAsync(stack, datasetId);
        if (!expectedRows.Contains(rows.Count))
            problems.Add($"{when}: {rows.Count} reports rows, expected {string.Join(" or ", expectedRows)}");
        var blobs = await BlobsAsync(reports, folder);
        foreach (var row in rows)
        {
            if (!IsWholeHtml(row.Html) || !IsWholeJson(row.Json) || row.Markdown.Length == 0)
                problems.Add($"{when}: report {row.Id}'s stored renderings are not whole");
            var stem = row.Stem(folder);
            foreach (var (extension, content) in new[] { (".html", row.Html), (".json", row.Json), (".md", row.Markdown) })
                if (!blobs.TryGetValue(stem + extension, out var stored))
                    problems.Add($"{when}: report {row.Id} has no {stem}{extension}");
                else if (stored != content)
                    problems.Add($"{when}: {stem}{extension} differs from report {row.Id}'s rendering");
        }
        foreach (var (name, content) in blobs)
            if ((name.EndsWith(".html", StringComparison.Ordinal) && !IsWholeHtml(content)) ||
                (name.EndsWith(".json", StringComparison.Ordinal) && !IsWholeJson(content)))
                problems.Add($"{when}: {name} is not whole ({content.Length} characters)");
    }

    private static async Task CheckLatestAsync(FaultStack stack, HostProcess host, string folder, long datasetId, List<string> problems)
    {
        var (status, body) = await LatestAsync(stack, host, folder);
        var newest = (await RowsAsync(stack, datasetId)).LastOrDefault();
        if (status != HttpStatusCode.OK || newest is null || body != newest.Html)
            problems.Add($"GET latest answered {(int)status} with {body.Length} characters, not the newest stored report");
    }

    private static async Task<int> OrphanStemsAsync(FaultStack stack, BlobContainerClient reports, string folder, long datasetId)
    {
        var rowStems = (await RowsAsync(stack, datasetId)).Select(r => r.Stem(folder)).ToHashSet();
        return (await BlobsAsync(reports, folder)).Keys.Select(n => n[..n.LastIndexOf('.')]).Distinct().Count(s => !rowStems.Contains(s));
    }

    private static async Task<Dictionary<string, string>> BlobsAsync(BlobContainerClient reports, string folder)
    {
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!await reports.ExistsAsync())
            return blobs;
        await foreach (var item in reports.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"reports/{ReportPublisher.SafeName(folder)}/", CancellationToken.None))
            blobs[item.Name] = (await reports.GetBlobClient(item.Name).DownloadContentAsync()).Value.Content.ToString();
        return blobs;
    }

    private static bool IsWholeHtml(string html) => html.TrimEnd().EndsWith("</html>", StringComparison.OrdinalIgnoreCase);

    private static bool IsWholeJson(string json)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
