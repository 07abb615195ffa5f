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
    private CalibrationCurve? _calibration;

    public long Count => Confusion.Total;

    /// <summary>Top score against correctness over the evaluated faces, in the default 15 bins.</summary>
    public CalibrationCurve Calibration => _calibration ??= CalibrationOf(Faces);

    private static CalibrationCurve CalibrationOf(IEnumerable<EvaluatedFace> faces)
    {
        var curve = new CalibrationCurve();
        foreach (var face in faces)
            curve.Add(face.Confidence, face.Predicted == face.Truth);
        return curve;
    }

    /// <summary>End to end: reading, decoding, preprocessing and inference.</summary>
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? (Faces.Count + Failures.Count) / Elapsed.TotalSeconds : 0;
}
