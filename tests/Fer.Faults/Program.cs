using System.Diagnostics;
using Fer.Faults;
using Fer.Faults.Scenarios;

// fer-faults: runs the fault scenarios against real RabbitMQ, PostgreSQL and Azurite with the Release-built hosts as
// processes, prints `fault | submitted | scored | failed | lost | duplicated` and exits 1 unless every row has
// lost = 0, duplicated = 0 and no problem. `--scale N` runs one fault-free folder of N faces and prints peak memory.
var root = RepoPaths.Find(Environment.CurrentDirectory, AppContext.BaseDirectory)
           ?? throw new DirectoryNotFoundException("FerBatch.sln not found above the current or the program's directory");
if (!FaultSettings.TryParse(args, root, out var settings, out var exitCode))
    return exitCode; // --help, or an argument it does not know
var images = new FaultImages(settings.Slice);
var services = new ServiceControl(root);
var prefix = $"faults-{settings.RunId}";

if (settings.Scale is { } scaleCount)
{
    settings.Images = scaleCount;
    return await ScaleRun.RunAsync(settings, images, services);
}

FaultScenario[] scenarios =
[
    new KillWorkerScenario(),
    new ConcurrentIngestScenario(),
    new GrowingFolderScenario(),
    new KillIngestScenario(),
    new ServiceOutageScenario("rabbitmq", "RabbitMQ stopped and restarted", TimeSpan.FromSeconds(5)),
    new ServiceOutageScenario("postgres", "PostgreSQL stopped and restarted", TimeSpan.FromSeconds(5)),
    new ServiceOutageScenario("azurite", "Azurite unavailable for 10 s", TimeSpan.FromSeconds(10)),
    new ServiceCrashScenario("rabbitmq", "RabbitMQ SIGKILL mid-scoring", TimeSpan.FromSeconds(5)),
    new ServiceCrashScenario("postgres", "PostgreSQL SIGKILL (crash recovery)", TimeSpan.FromSeconds(5)),
    new PoisonMessageScenario(),
    new DuplicatePublishScenario(),
    new BrokenModelScenario(),
    new EmbeddedRunKillScenario(),
    new KillReportsScenario(),
];
var unknown = settings.Only.Where(name => scenarios.All(s => !s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))).ToList();
if (unknown.Count > 0)
{
    // A misspelt --only would otherwise run nothing and report "0 of 0 scenarios passed".
    Console.Error.WriteLine($"[faults] unknown scenario {string.Join(", ", unknown)}; the scenarios are: {string.Join(", ", scenarios.Select(s => s.Name))}");
    return 2;
}
var selected = scenarios.Where(s => settings.Only.Count == 0 || settings.Only.Contains(s.Name)).ToList();
Console.Error.WriteLine($"[faults] run {settings.RunId}: {selected.Count} scenarios x {settings.Images} faces, {settings.Workers} workers; logs in {Path.Combine(settings.WorkDirectory, prefix)}");

var total = Stopwatch.StartNew();
var rows = new List<FaultRow>();
await using (var stack = await FaultStack.StartAsync(settings))
{
    var context = new FaultContext(stack, images, settings, services);
    var probe = await EndpointProbe.CheckAsync(stack);
    Console.Error.WriteLine(probe.Count == 0
        ? "[faults] endpoint probe: worker serves only health and metrics; ingest needs the API key except on health and metrics"
        : $"[faults] endpoint probe FAILED: {string.Join("; ", probe)}");
    if (probe.Count > 0)
        rows.Add(new FaultRow("endpoint probe", 0, 0, 0, 0, 0, "") { Problem = string.Join("; ", probe) });
    foreach (var scenario in selected)
    {
        var watch = Stopwatch.StartNew();
        FaultRow row;
        try
        {
            // After an outage the hosts reconnect on their own; the next scenario starts once all of them say ready.
            await stack.WaitAllReadyAsync(TimeSpan.FromMinutes(2));
            row = await scenario.RunAsync(context);
        }
        catch (Exception ex)
        {
            row = new FaultRow(scenario.Fault, context.Expected, 0, 0, 0, 0, "") { Problem = $"{ex.GetType().Name}: {ex.Message}" };
        }
        var crashed = stack.Crashed().Select(h => $"{h.Name} exited unexpectedly (see {h.LogPath})").ToList();
        if (crashed.Count > 0)
            row = row with { Problem = string.Join("; ", crashed.Prepend(row.Problem ?? "").Where(p => p.Length > 0)) };
        rows.Add(row);
        Console.Error.WriteLine($"[faults] {scenario.Name}: {(row.Passed ? "ok" : "FAILED")} in {watch.Elapsed.TotalSeconds:0} s " +
                                $"(scored {row.Scored}, failed {row.Failed}, lost {row.Lost}, duplicated {row.Duplicated}) {row.Problem}");
        if (stack.Crashed().Any())
            break;
    }
    // The duplicate counter must be able to count: on the last folder scored into PostgreSQL, inject three duplicates in a
    // rolled-back transaction (the embedded scenario's folder lives in its own SQLite file and has its own triggers).
    var checkedRow = Enumerable.Range(0, rows.Count).LastOrDefault(i => selected[i].ScoresIntoPostgres, -1);
    if (checkedRow >= 0 && await FaultLedger.SelfCheckAsync(stack.Data, stack.Container.Name, selected[checkedRow].Name) is { } selfCheck)
        rows[checkedRow] = rows[checkedRow] with { Problem = selfCheck };
    else if (checkedRow >= 0)
        Console.Error.WriteLine("[faults] ledger self-check: 3 injected duplicates counted as 3, then rolled back");
    var errors = await BrokerCleanup.ErrorMessagesAsync(prefix, settings.RabbitMq);
    Console.Error.WriteLine($"[faults] {errors} messages in the error queue; peak memory: " +
                            string.Join(", ", stack.Workers.Append(stack.Ingest).Concat(stack.Retired).Select(h => $"{h.Name} {h.PeakRssMiB():0} MiB")));
    if (!settings.Keep)
        await BrokerCleanup.DeleteAsync(prefix, settings.RabbitMq);
}

var table = FaultTable.Render(rows);
Console.WriteLine(table);
Console.WriteLine($"{rows.Count(r => r.Passed)} of {rows.Count} scenarios passed in {total.Elapsed.TotalSeconds:0} s");
if (settings.MarkdownOut is { } markdown)
    await File.WriteAllTextAsync(markdown, table);
return rows.Count > 0 && rows.All(r => r.Passed) ? 0 : 1;
