namespace Fer.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition on real services, failing with what was awaited instead of hanging.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string awaited)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {timeout} waiting for {awaited}");
            await Task.Delay(100);
        }
    }
}
