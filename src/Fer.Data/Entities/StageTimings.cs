namespace Fer.Data.Entities;

/// <summary>Where an image's scoring time went, in milliseconds; stored as the columns download_ms .. inference_ms.</summary>
/// <param name="DetectMs">Face detection time of the image (0 for a crop).</param>
/// <param name="InferenceMs">The image's share of its batch's model run.</param>
public sealed record StageTimings(float DownloadMs, float DecodeMs, float DetectMs, float InferenceMs);
