using Fer.Core.Inference;

namespace Fer.Cli.Output;

/// <summary>
/// What <c>fer classify</c> reports for one image. The whole image is treated as one face for now;
/// when face detection arrives, a list of per-face predictions (with boxes) joins this record.
/// </summary>
public sealed record ImageClassification(string Image, string Model, EmotionPrediction Prediction);
