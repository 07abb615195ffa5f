using System.Diagnostics;

namespace Fer.Faults.Scenarios;

/// <summary>One fault, injected into a run of its own dataset folder; the row says how every image of it ended.</summary>
public abstract class FaultScenario
{
    /// <summary>Short name for --only.</summary>
    public abstract string Name { get; }

    /// <summary>The table's "fault" column.</summary>
    public abstract string Fault { get; }

    public abstract Task<FaultRow> RunAsync(FaultContext context);

    /// <summary>Upload a folder, submit it, inject <paramref name="inject"/> once a share of it is done, then let it settle.</summary>
    protected async Task<FaultRow> FaultDuringScoringAsync(FaultContext context, Func<string, Task<string>> inject, double progress = 0.15)
    {
        var stack = context.Stack;
        var folder = Name;
        await stack.UploadAsync(context.Images, folder, 0, context.Settings.Images);
        var published = await stack.SubmitAsync(folder);
        await stack.WaitForProgressAsync(folder, (int)(context.Expected * progress), TimeSpan.FromMinutes(2));
        var watch = Stopwatch.StartNew();
        var notes = await inject(folder);
        var counts = await stack.SettleAsync(folder, context.Expected, context.Settings.SettleTimeout, TimeSpan.FromSeconds(3));
        return FaultRow.From(Fault, context.Expected, counts,
            $"submit published {published}; {notes}; settled {watch.Elapsed.TotalSeconds:0} s after the fault began");
    }

    protected static async Task<string> OutageAsync(FaultContext context, string service, TimeSpan downFor)
    {
        var watch = Stopwatch.StartNew();
        await context.Services.StopAsync(service);
        await Task.Delay(downFor);
        await context.Services.StartAsync(service);
        return $"{service} down for {watch.Elapsed.TotalSeconds:0} s (stop, {downFor.TotalSeconds:0} s pause, start)";
    }
}
