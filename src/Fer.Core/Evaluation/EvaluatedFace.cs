using Fer.Core.Labels;

namespace Fer.Core.Evaluation;

/// <summary>The model's verdict on one labelled face: the 7 probabilities and their arg-max.</summary>
public sealed record EvaluatedFace(string Source, Emotion Truth, Emotion Predicted, float[] Scores);
