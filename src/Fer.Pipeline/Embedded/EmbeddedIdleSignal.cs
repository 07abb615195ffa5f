namespace Fer.Pipeline.Embedded;

/// <summary>
/// Raised by <see cref="EmbeddedBatchDispatcher"/> whenever its last running batch ends with nothing left in the queue,
/// so `fer run` sees the end of a run at once instead of at its next poll of the database (up to 250 ms later, with
/// both cores idle). A hint, not a verdict: the run still counts the Pending rows before it stops.
/// </summary>
public sealed class EmbeddedIdleSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next idle moment after it is read; read it before checking the database, so none is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Raise() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
