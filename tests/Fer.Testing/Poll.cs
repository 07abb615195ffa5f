namespace Fer.Testing;

/// <summary>Waits for a condition on real services or processes, failing with what was awaited instead of hanging.</summary>
public static class Poll
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns once <paramref name="condition"/> holds; throws a TimeoutException naming <paramref name="awaited"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string awaited, TimeSpan? interval = null)
    {
        if (!await TryUntilAsync(condition, timeout, interval))
            throw new TimeoutException($"timed out after {timeout} waiting for {awaited}");
    }

    /// <summary>Whether <paramref name="condition"/> came to hold within <paramref name="timeout"/>: for callers that assert on what they find either way.</summary>
    public static async Task<bool> TryUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(interval ?? DefaultInterval);
        }
        return true;
    }
}
