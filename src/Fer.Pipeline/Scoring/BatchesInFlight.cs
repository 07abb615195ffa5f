namespace Fer.Pipeline.Scoring;

/// <summary>
/// How many micro-batches the consumers of this process are working on. A stop that could not wait for the bus
/// (a bounded stop under load) waits here instead, so that what it reports afterwards is what the database holds:
/// a batch still writing either commits or is abandoned, never lands after the report.
/// </summary>
public sealed class BatchesInFlight
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Scope Enter()
    {
        Interlocked.Increment(ref _count);
        return new Scope(this);
    }

    /// <returns>true when none is left within <paramref name="timeout"/></returns>
    public async Task<bool> WaitForNoneAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count > 0)
        {
            if (DateTime.UtcNow >= deadline)
                return false;
            await Task.Delay(20);
        }
        return true;
    }

    public readonly struct Scope(BatchesInFlight owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner._count);
    }
}
