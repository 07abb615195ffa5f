using System.Diagnostics;
using Fer.Faults.Scenarios;

namespace Fer.Faults;

/// <summary>
/// One fault-free run of many faces (PublicTest rows replicated under new names) through the worker processes; prints
/// the usual row plus throughput and each host's peak resident memory (VmHWM), the point being that memory stays flat.
/// </summary>
public static class ScaleRun
{
    /// <summary>Messages the ingest host's sweeper published again, summed from its "Re-published N Pending images" lines.</summary>
    private static long RepublishedCount(string logPath) =>
        File.ReadLines(logPath)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"Re-published (\d+) Pending images"))
            .Where(match => match.Success)
            .Sum(match => long.Parse(match.Groups[1].Value));

    public static async Task<int> RunAsync(FaultSettings settings, FaultImages images, ServiceControl services)
    {
        var folder = "scale";
        settings.SettleTimeout = TimeSpan.FromHours(2);
        // The fault suite's RepublishUnfinishedAfter (1 min) stays on, although the backlog takes far longer to drain:
        // the sweeper re-publishes unfinished rows only once the queue is empty, so a long backlog is left alone.
        await using var stack = await FaultStack.StartAsync(settings);
        var context = new FaultContext(stack, images, settings, services);
        var upload = Stopwatch.StartNew();
        await stack.UploadAsync(images, folder, 0, settings.Images, parallelism: 32);
        Console.Error.WriteLine($"[scale] uploaded {context.Expected} blobs in {upload.Elapsed.TotalSeconds:0} s");
        var run = Stopwatch.StartNew();
        var published = await stack.SubmitAsync(folder);
        var submitted = run.Elapsed;
        var counts = await stack.SettleAsync(folder, context.Expected, settings.SettleTimeout, TimeSpan.FromSeconds(3));
        var seconds = run.Elapsed.TotalSeconds - 3;
        var row = FaultRow.From($"scale: {settings.Images} faces, {settings.Workers} workers", context.Expected, counts,
            $"submit published {published} in {submitted.TotalSeconds:0} s; all terminal after {seconds:0} s ({counts.Scored / seconds:0} images/s)");
        Console.WriteLine(FaultTable.Render([row]));
        Console.WriteLine("| host | peak RSS (VmHWM) |");
        Console.WriteLine("| --- | ---: |");
        foreach (var host in stack.Workers.Append(stack.Ingest))
            Console.WriteLine($"| {host.Name} | {host.PeakRssMiB():0} MiB |");
        Console.WriteLine($"sweeper re-publishes: {RepublishedCount(stack.Ingest.LogPath)} messages (beyond the submit's {published})");
        await BrokerCleanup.DeleteAsync($"faults-{settings.RunId}", settings.RabbitMq);
        return row.Passed ? 0 : 1;
    }
}
