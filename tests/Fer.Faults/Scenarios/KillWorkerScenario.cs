namespace Fer.Faults.Scenarios;

/// <summary>
/// SIGKILL a worker that is in the middle of micro-batches (it has written some and holds prefetched, unacknowledged
/// messages); the broker redelivers them to the other worker and to a replacement started right after.
/// </summary>
public sealed class KillWorkerScenario() : FaultScenario("kill-worker", "worker SIGKILL mid-batch")
{
    public override Task<FaultRow> RunAsync(FaultContext context) => FaultDuringScoringAsync(context, async folder =>
    {
        var stack = context.Stack;
        var victim = stack.Workers[0];
        // Wait until the victim has persisted a batch of this folder, so it is certainly consuming it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int written;
        while ((written = await FaultLedger.ScoredByAsync(stack.Data, stack.Container.Name, folder, victim.Name)) == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await victim.KillHardAsync();
        stack.Retire(victim);
        var replacement = stack.StartWorker();
        return $"{victim.Name} (pid {victim.Pid}) killed after writing {written} predictions; {replacement.Name} started in its place";
    });
}
