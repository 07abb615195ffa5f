using Fer.Core.Inference;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// What a worker found for one image of a micro-batch: a prediction, or the permanent reason it cannot be scored.
/// Timings are per image for download and decode; inference is the batch's single run.
/// </summary>
public sealed record ImageOutcome(long ImageId, long DatasetId, string ETag, EmotionPrediction? Prediction, string? FailureReason)
{
    public float DownloadMs { get; init; }
    public float DecodeMs { get; init; }
    public float InferenceMs { get; init; }
    public int BatchSize { get; init; }

    public bool Scored => Prediction is not null;
}
