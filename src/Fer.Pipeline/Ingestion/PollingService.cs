using Microsoft.Extensions.Hosting;

namespace Fer.Pipeline.Ingestion;

/// <summary>
/// The loop of a polling service: run one pass now and then on every tick until the host stops. A failed pass is
/// handed to <see cref="OnPassFailed"/> and the loop goes on, because the next pass may well succeed (a broker or store
/// back up).
/// </summary>
public abstract class PollingService(TimeProvider time) : BackgroundService
{
    /// <summary>The clock the passes run by (a fake one in tests).</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>The time between passes, read once at start; null when the service is switched off.</summary>
    protected abstract TimeSpan? Interval { get; }

    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    protected abstract void OnPassFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval is not { } interval)
            return;
        using var timer = new PeriodicTimer(interval, Time);
        do
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                OnPassFailed(ex);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
