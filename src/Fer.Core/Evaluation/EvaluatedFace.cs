using Fer.Core.Labels;

namespace Fer.Core.Evaluation;

/// <summary>
/// The model's verdict on one labelled face: the 7 probabilities and their arg-max. <see cref="Index"/> is the
/// face's position in the dataset as read (0-based: the data row of a CSV), so per-image output can be joined back.
/// </summary>
public sealed record EvaluatedFace(long Index, string Source, Emotion Truth, Emotion Predicted, float[] Scores)
{
    /// <summary>The top score: what a user thresholds.</summary>
    public float Confidence => Scores[(int)Predicted];
}
