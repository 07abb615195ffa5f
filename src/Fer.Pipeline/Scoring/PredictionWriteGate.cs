namespace Fer.Pipeline.Scoring;

/// <summary>
/// The one door every embedded batch commit goes through. A stopping <c>fer run</c> closes it before it counts what is
/// done: a commit in progress finishes first, any later one is refused (its rows stay Pending for the next run), so
/// the "interrupted: N scored" line is exactly what the database holds, whatever the bus was still doing.
/// </summary>
public sealed class PredictionWriteGate
{
    private readonly SemaphoreSlim _door = new(1, 1);
    private volatile bool _closed;

    /// <summary>Runs <paramref name="commit"/> unless the gate is closed; throws <see cref="OperationCanceledException"/> then.</summary>
    public async Task CommitAsync(Func<Task> commit)
    {
        await _door.WaitAsync();
        try
        {
            if (_closed)
                throw new OperationCanceledException("the run is stopping: this batch is left Pending for the next run");
            await commit();
        }
        finally
        {
            _door.Release();
        }
    }

    /// <summary>Waits for a commit in progress (at most <paramref name="timeout"/>), then refuses every later one.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        var entered = await _door.WaitAsync(timeout);
        _closed = true;
        if (entered)
            _door.Release();
    }
}
