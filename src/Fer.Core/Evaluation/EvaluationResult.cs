using Fer.Core.Metrics;

namespace Fer.Core.Evaluation;

/// <summary>Everything one evaluation run measured; metrics come from <see cref="Confusion"/>.</summary>
public sealed record EvaluationResult(
    string ModelName,
    string ModelSha256,
    string? Dataset,
    ConfusionMatrix Confusion,
    IReadOnlyList<EvaluatedFace> Faces,
    IReadOnlyList<EvaluationFailure> Failures,
    IReadOnlyList<string> IgnoredFiles,
    TimeSpan Elapsed)
{
    public long Count => Confusion.Total;

    /// <summary>End to end: reading, decoding, preprocessing and inference.</summary>
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? (Faces.Count + Failures.Count) / Elapsed.TotalSeconds : 0;
}
