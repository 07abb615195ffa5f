namespace Fer.Pipeline.Ingestion;

/// <summary>
/// Tells the sweeper whether the work queue has drained. A published message that is still queued is not lost,
/// so published-but-unfinished rows are only re-published once nothing is waiting for a worker.
/// </summary>
public interface IWorkQueueProbe
{
    /// <summary>True only when the queue is known to hold no ready message; a failed probe answers false.</summary>
    Task<bool> IsDrainedAsync(CancellationToken cancellationToken);
}
