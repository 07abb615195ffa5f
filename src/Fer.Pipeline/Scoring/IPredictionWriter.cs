using Fer.Contracts;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// Persists a micro-batch's outcomes in one transaction. Only rows still Pending with the message's ETag change state,
/// so a duplicate or stale delivery writes nothing: each image gets exactly one terminal state per version.
/// </summary>
public interface IPredictionWriter
{
    /// <summary>The image ids among <paramref name="messages"/> whose rows are Pending with the same ETag (worth downloading).</summary>
    Task<IReadOnlySet<long>> FindPendingAsync(IReadOnlyCollection<ScoreImage> messages, CancellationToken cancellationToken);

    /// <summary>Writes predictions and failures; returns how many rows reached a terminal state.</summary>
    Task<int> WriteAsync(IReadOnlyList<ImageOutcome> outcomes, ModelIdentity model, CancellationToken cancellationToken);

    /// <summary>After the last retry of a transient failure: note the reason on the rows (they stay Pending) and in image_failures.</summary>
    Task RecordTransientFailureAsync(IReadOnlyCollection<ScoreImage> messages, string reason, string workerId, CancellationToken cancellationToken);
}
