using Fer.Inference.Faces;
using Fer.Inference;
using Fer.Data.Entities;

namespace Fer.Pipeline.Scoring;

/// <summary>One face of an image and its scores. <see cref="Index"/> 0 is the largest face; a crop has only that one,
/// its box the whole image and no detector confidence.</summary>
public sealed record FaceOutcome(short Index, FaceBox Box, float? DetectorConfidence, EmotionPrediction Prediction);

/// <summary>
/// What a worker found for one image of a micro-batch: its faces with their scores (none for a photo without a face),
/// or the permanent reason it cannot be scored. Timings are per image for download, decode and detection;
/// inference is the batch's single run.
/// </summary>
public sealed record ImageOutcome(long ImageId, long DatasetId, string ETag, IReadOnlyList<FaceOutcome> Faces, string? FailureReason)
{
    public float DownloadMs { get; init; }
    public float DecodeMs { get; init; }
    public float DetectMs { get; init; }
    public float InferenceMs { get; init; }
    public int BatchSize { get; init; }

    /// <summary>The terminal state this outcome moves the image to.</summary>
    public ImageState State => FailureReason is not null ? ImageState.Failed : Faces.Count == 0 ? ImageState.NoFace : ImageState.Scored;

    public bool Scored => State == ImageState.Scored;

    /// <summary>The largest face's prediction; null when failed or no face.</summary>
    public EmotionPrediction? Prediction => FailureReason is null && Faces.Count > 0 ? Faces[0].Prediction : null;

    public static ImageOutcome Failed(long imageId, long datasetId, string eTag, string reason) => new(imageId, datasetId, eTag, [], reason);
}
