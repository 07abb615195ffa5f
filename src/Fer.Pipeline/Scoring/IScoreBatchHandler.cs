namespace Fer.Pipeline.Scoring;

/// <summary>Scores and persists one micro-batch (<see cref="ScoreBatchHandler"/>); what the transports hand their batches to.</summary>
public interface IScoreBatchHandler
{
    /// <param name="lastAttempt">no retry follows a failure: record it on the rows before throwing</param>
    Task HandleAsync(IReadOnlyList<ScoreDelivery> batch, bool lastAttempt, CancellationToken cancellationToken);
}
