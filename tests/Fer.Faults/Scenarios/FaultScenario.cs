using System.Diagnostics;

namespace Fer.Faults.Scenarios;

/// <summary>One fault, injected into a run of its own dataset folder; the row says how every image of it ended.</summary>
/// <param name="name">Short name for --only, and the name of the scenario's dataset folder.</param>
/// <param name="fault">The table's "fault" column.</param>
public abstract class FaultScenario(string name, string fault)
{
    /// <summary>Short name for --only, and the name of the scenario's dataset folder.</summary>
    public string Name { get; } = name;

    /// <summary>The table's "fault" column.</summary>
    public string Fault { get; } = fault;

    /// <summary>Whether the scenario's images end in the stack's PostgreSQL (the ledger's self-check needs such a folder).</summary>
    public virtual bool ScoresIntoPostgres => true;

    public abstract Task<FaultRow> RunAsync(FaultContext context);

    /// <summary>Upload all of the scenario's images (faces and unscorable files) into its folder.</summary>
    protected Task UploadFolderAsync(FaultContext context) =>
        context.Stack.UploadAsync(context.Images, Name, 0, context.Settings.Images);

    /// <summary>Wait, up to the settle timeout, until every image of the scenario's folder is terminal and nothing changed
    /// for <paramref name="quietSeconds"/> (late redeliveries would show up as duplicates); the final counts.</summary>
    protected Task<FaultLedger.Counts> SettleFolderAsync(FaultContext context, int quietSeconds = 3) =>
        context.Stack.SettleAsync(Name, context.Expected, context.Settings.SettleTimeout, TimeSpan.FromSeconds(quietSeconds));

    /// <summary>Upload a folder, submit it, inject <paramref name="inject"/> once a share of it is done, then let it settle.</summary>
    protected async Task<FaultRow> FaultDuringScoringAsync(FaultContext context, Func<string, Task<string>> inject, double progress = 0.15)
    {
        var stack = context.Stack;
        var folder = Name;
        await UploadFolderAsync(context);
        var published = await stack.SubmitAsync(folder);
        await stack.WaitForProgressAsync(folder, (int)(context.Expected * progress), TimeSpan.FromMinutes(2));
        var watch = Stopwatch.StartNew();
        var notes = await inject(folder);
        var counts = await SettleFolderAsync(context);
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
