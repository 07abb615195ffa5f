using System.Collections.Concurrent;
using System.Diagnostics;
using Fer.Contracts;
using Fer.Pipeline.Scoring;
using Fer.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Embedded;

/// <summary>
/// `fer run`'s in-process consumer: every queued request reaches the batch handler once, in batches no larger than
/// the message limit and no more at once than the concurrency limit; a partial batch goes after the time limit; a
/// failing batch is retried with the worker's back-off, its last attempt marked; a stop cancels a batch that outlives
/// the grace and starts no new one.
/// </summary>
public sealed class EmbeddedBatchDispatcherTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_request_is_handled_once_in_batches_within_the_message_and_concurrency_limits()
    {
        var handler = new RecordingHandler(async (_, _, ct) => await Task.Delay(20, ct));
        var queue = new EmbeddedScoreQueue(1024);
        for (var id = 1; id <= 100; id++)
            await queue.SendAsync(Request(id), CancellationToken.None);

        using var dispatcher = Dispatcher(queue, handler, new WorkerOptions { MessageLimit = 16, ConcurrencyLimit = 2 });
        await dispatcher.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(handler.HandledIds.Count == 100), Wait, "100 requests handled");
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), handler.HandledIds.Order());
        Assert.All(handler.Calls, call => Assert.InRange(call.Ids.Length, 1, 16));
        Assert.Equal(16, handler.Calls.Max(c => c.Ids.Length));
        Assert.Equal(2, handler.MaxInFlight);
    }

    [Fact]
    public async Task Going_idle_is_signalled_when_the_last_batch_ends_and_not_while_it_runs()
    {
        var release = new TaskCompletionSource();
        var handler = new RecordingHandler(async (_, _, ct) => await release.Task.WaitAsync(ct));
        var queue = new EmbeddedScoreQueue(1024);
        for (var id = 1; id <= 10; id++)
            await queue.SendAsync(Request(id), CancellationToken.None);
        var idle = new EmbeddedIdleSignal();
        var next = idle.Next;

        using var dispatcher = Dispatcher(queue, handler, new WorkerOptions { MessageLimit = 16, TimeLimit = TimeSpan.FromMilliseconds(10) }, idle);
        await dispatcher.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(handler.Calls.Count == 1), Wait, "the one batch started");
        await Task.Delay(50);
        Assert.False(next.IsCompleted, "idle raised while the batch was still running");

        release.SetResult();
        await next.WaitAsync(Wait);
        Assert.Equal(10, handler.HandledIds.Count);
        Assert.False(idle.Next.IsCompleted, "a new wait starts unraised");
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_batch_that_does_not_fill_goes_after_the_time_limit()
    {
        var handler = new RecordingHandler();
        var queue = new EmbeddedScoreQueue(1024);
        using var dispatcher = Dispatcher(queue, handler, new WorkerOptions { MessageLimit = 64, TimeLimit = TimeSpan.FromMilliseconds(50) });
        await dispatcher.StartAsync(CancellationToken.None);
        for (var id = 1; id <= 5; id++)
            await queue.SendAsync(Request(id), CancellationToken.None);

        await Poll.UntilAsync(() => Task.FromResult(handler.HandledIds.Count == 5), Wait, "the five requests handled");
        await dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal(5, handler.Calls.Sum(c => c.Ids.Length));
        Assert.True(handler.Calls.Count <= 2, $"{handler.Calls.Count} batches for five requests");
    }

    [Fact]
    public async Task A_failing_batch_is_retried_its_last_attempt_marked_and_the_next_batch_still_goes()
    {
        var handler = new RecordingHandler((batch, _, _) =>
            batch.Any(d => d.Message.ImageId == 1) ? throw new InvalidOperationException("database is locked") : Task.CompletedTask);
        var queue = new EmbeddedScoreQueue(1024);
        using var dispatcher = Dispatcher(queue, handler, FastRetries(retryLimit: 2));
        await dispatcher.StartAsync(CancellationToken.None);

        await queue.SendAsync(Request(1), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(handler.Calls.Count == 3), Wait, "three attempts at the failing batch");
        await queue.SendAsync(Request(2), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(handler.HandledIds.Contains(2)), Wait, "the next batch handled");
        await dispatcher.StopAsync(CancellationToken.None);

        var attempts = handler.Calls.Where(c => c.Ids.Contains(1)).Select(c => c.LastAttempt).ToList();
        Assert.Equal([false, false, true], attempts);
    }

    [Fact]
    public async Task A_batch_that_recovers_on_retry_is_handled_no_more()
    {
        var failures = 1;
        var handler = new RecordingHandler((_, _, _) =>
            Interlocked.Decrement(ref failures) >= 0 ? throw new IOException("transient") : Task.CompletedTask);
        var queue = new EmbeddedScoreQueue(1024);
        using var dispatcher = Dispatcher(queue, handler, FastRetries(retryLimit: 5));
        await dispatcher.StartAsync(CancellationToken.None);

        await queue.SendAsync(Request(7), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(handler.Calls.Count == 2), Wait, "the retry");
        await Task.Delay(200);
        await dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal(2, handler.Calls.Count);
        Assert.All(handler.Calls, c => Assert.False(c.LastAttempt));
    }

    [Fact]
    public async Task A_stop_cancels_a_batch_that_outlives_the_grace_and_starts_no_new_one()
    {
        var cancelled = new TaskCompletionSource();
        var handler = new RecordingHandler(async (_, _, ct) =>
        {
            ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
        });
        var queue = new EmbeddedScoreQueue(1024);
        using var dispatcher = Dispatcher(queue, handler, new WorkerOptions { MessageLimit = 1, ConcurrencyLimit = 1 });
        await dispatcher.StartAsync(CancellationToken.None);
        await queue.SendAsync(Request(1), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(handler.Calls.Count == 1), Wait, "the first batch running");
        await queue.SendAsync(Request(2), CancellationToken.None);

        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await dispatcher.StopAsync(timeout.Token);

        Assert.True(cancelled.Task.IsCompleted, "the running batch's token fired");
        Assert.InRange(watch.Elapsed, EmbeddedBatchDispatcher.StopGrace * 0.9, TimeSpan.FromSeconds(8));
        Assert.Single(handler.Calls); // request 2 was never started
    }

    [Fact]
    public void Retries_wait_the_worker_exponential_back_off_up_to_its_ceiling()
    {
        var options = new WorkerOptions
        {
            RetryMinInterval = TimeSpan.FromMilliseconds(200),
            RetryIntervalDelta = TimeSpan.FromMilliseconds(500),
            RetryMaxInterval = TimeSpan.FromSeconds(30),
        };
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryDelay(0));
        Assert.Equal(TimeSpan.FromMilliseconds(700), options.RetryDelay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1700), options.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryDelay(10));
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryDelay(int.MaxValue));
    }

    private static WorkerOptions FastRetries(int retryLimit) => new()
    {
        RetryLimit = retryLimit,
        RetryMinInterval = TimeSpan.FromMilliseconds(1),
        RetryIntervalDelta = TimeSpan.FromMilliseconds(1),
        RetryMaxInterval = TimeSpan.FromMilliseconds(10),
        TimeLimit = TimeSpan.FromMilliseconds(10),
    };

    private static EmbeddedBatchDispatcher Dispatcher(EmbeddedScoreQueue queue, IScoreBatchHandler handler, WorkerOptions options,
        EmbeddedIdleSignal? idle = null) =>
        new(queue, handler, idle ?? new EmbeddedIdleSignal(), Options.Create(options), NullLogger<EmbeddedBatchDispatcher>.Instance);

    private static ScoreImage Request(long id) => new(id, 1, "local", $"faces/{id}.png", "etag");

    private sealed class RecordingHandler(Func<IReadOnlyList<ScoreDelivery>, bool, CancellationToken, Task>? behaviour = null) : IScoreBatchHandler
    {
        private int _inFlight;
        private int _maxInFlight;

        public ConcurrentQueue<(long[] Ids, bool LastAttempt)> Calls { get; } = new();
        public ConcurrentBag<long> HandledIds { get; } = [];
        public int MaxInFlight => _maxInFlight;

        public async Task HandleAsync(IReadOnlyList<ScoreDelivery> batch, bool lastAttempt, CancellationToken cancellationToken)
        {
            var inFlight = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, inFlight);
            Calls.Enqueue((batch.Select(d => d.Message.ImageId).ToArray(), lastAttempt));
            try
            {
                if (behaviour is not null)
                    await behaviour(batch, lastAttempt, cancellationToken);
                foreach (var delivery in batch)
                    HandledIds.Add(delivery.Message.ImageId);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
