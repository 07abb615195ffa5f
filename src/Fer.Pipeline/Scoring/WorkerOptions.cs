using Fer.Data;

namespace Fer.Pipeline.Scoring;

/// <summary>Bound from <c>Fer:Worker</c>: micro-batching, download fan-out, retries and the model.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Fer:Worker";

    /// <summary>Most messages in one micro-batch (one inference run).</summary>
    [AtLeast(1)]
    public int MessageLimit { get; set; } = 64;

    /// <summary>How long to wait for a batch to fill after its first message.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Micro-batches in flight in one worker: with two inference runs at a time (Fer:Model:MaxConcurrentRuns) a third
    /// batch downloads, decodes or persists meanwhile, so the model never waits for storage or the database.
    /// </summary>
    [AtLeast(1)]
    public int ConcurrencyLimit { get; set; } = 3;

    /// <summary>Unacknowledged messages the broker may push ahead; at least MessageLimit x ConcurrencyLimit is used.</summary>
    [AtLeast(1)]
    public int PrefetchCount { get; set; } = 256;

    /// <summary>Concurrent blob downloads per micro-batch.</summary>
    [AtLeast(1)]
    public int DownloadConcurrency { get; set; } = 16;

    /// <summary>Retries of a batch after a transient failure (broker, database, storage), with exponential back-off.</summary>
    [AtLeast(0)]
    public int RetryLimit { get; set; } = 5;
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> + 1 (0-based) in `fer run`: min, then min + delta × (2^n − 1), at most
    /// max, the shape of the worker's MassTransit exponential retry.
    /// </summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var grown = RetryMinInterval + RetryIntervalDelta * (Math.Pow(2, Math.Clamp(attempt, 0, 20)) - 1);
        return grown < RetryMaxInterval ? grown : RetryMaxInterval;
    }

    /// <summary>Written on every prediction; defaults to host name and process id.</summary>
    public string? WorkerId { get; set; }

    public string ResolveWorkerId() => string.IsNullOrWhiteSpace(WorkerId) ? $"{Environment.MachineName}:{Environment.ProcessId}" : WorkerId;
}
