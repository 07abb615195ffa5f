namespace Fer.Pipeline.Ingestion;

/// <summary>
/// The loop of a polling service: run one pass now and then on every tick until the host stops. A failed pass is
/// handed to <c>onFailure</c> and the loop goes on, because the next pass may well succeed (a broker or store back up).
/// </summary>
internal static class PeriodicPass
{
    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> pass,
        Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                onFailure(ex);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
