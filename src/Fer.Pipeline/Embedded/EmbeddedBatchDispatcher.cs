using Fer.Pipeline.Scoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Embedded;

/// <summary>
/// `fer run`'s consumer: takes micro-batches off <see cref="EmbeddedScoreQueue"/> (up to <see cref="WorkerOptions.MessageLimit"/>
/// requests, waiting at most <see cref="WorkerOptions.TimeLimit"/> for a batch to fill) and runs up to
/// <see cref="WorkerOptions.ConcurrencyLimit"/> of them at once through the worker's <see cref="ScoreBatchHandler"/>,
/// retrying a failed batch with the worker's back-off. On a stop no new batch starts; a batch in hand gets
/// <see cref="StopGrace"/> to finish its one-transaction write before its token fires, and then stays Pending.
/// Each time the last running batch ends with the queue empty it raises <see cref="EmbeddedIdleSignal"/>.
/// </summary>
public sealed class EmbeddedBatchDispatcher(
    EmbeddedScoreQueue queue,
    IScoreBatchHandler handler,
    EmbeddedIdleSignal idle,
    IOptions<WorkerOptions> options,
    ILogger<EmbeddedBatchDispatcher> logger) : BackgroundService
{
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly WorkerOptions _options = options.Value;
    private int _running;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.ConcurrencyLimit);
        using var abandon = new CancellationTokenSource();
        var running = new List<Task>();
        try
        {
            while (true)
            {
                await slots.WaitAsync(stoppingToken);
                List<ScoreDelivery> batch;
                try
                {
                    batch = await NextBatchAsync(stoppingToken);
                }
                catch
                {
                    slots.Release();
                    throw;
                }
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAsync(batch, slots, stoppingToken, abandon.Token));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: requests read but not started stay Pending in the database, like those still queued.
        }
        abandon.CancelAfter(StopGrace);
        await Task.WhenAll(running);
    }

    private async Task<List<ScoreDelivery>> NextBatchAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var batch = new List<ScoreDelivery>(_options.MessageLimit) { await reader.ReadAsync(stoppingToken) };
        // In hand from here (counted before the first request could be missed in both the queue and the running count).
        Interlocked.Increment(ref _running);
        using var fill = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        fill.CancelAfter(_options.TimeLimit);
        while (batch.Count < _options.MessageLimit)
        {
            if (reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }
            try
            {
                if (!await reader.WaitToReadAsync(fill.Token))
                    break;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                break; // the time limit: a partial batch goes now rather than waiting for a full one
            }
            catch (OperationCanceledException)
            {
                Interlocked.Decrement(ref _running); // stopping: the batch is dropped, its rows stay Pending
                throw;
            }
        }
        return batch;
    }

    private async Task RunAsync(List<ScoreDelivery> batch, SemaphoreSlim slots, CancellationToken stoppingToken, CancellationToken abandonToken)
    {
        await Task.Yield(); // the loop goes on to read the next batch while this one runs
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await handler.HandleAsync(batch, lastAttempt: attempt >= _options.RetryLimit, abandonToken);
                    return;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return; // abandoned or refused by the closed write gate: its rows stay Pending for the next run
                }
                catch (Exception ex) when (attempt < _options.RetryLimit)
                {
                    logger.LogWarning(ex, "Batch of {Count} failed (attempt {Attempt}); retrying", batch.Count, attempt + 1);
                    if (!await DelayAsync(_options.RetryDelay(attempt), stoppingToken))
                        return;
                }
                catch (Exception)
                {
                    return; // the handler wrote the reason on the rows (Failed) and logged it
                }
            }
        }
        finally
        {
            slots.Release();
            // The next batch's first request, between leaving the queue and being counted, can make this early: the
            // run checks the database anyway.
            if (Interlocked.Decrement(ref _running) == 0 && queue.Reader.Count == 0)
                idle.Raise();
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
