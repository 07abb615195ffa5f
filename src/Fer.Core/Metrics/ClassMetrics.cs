using Fer.Core.Labels;

namespace Fer.Core.Metrics;

public sealed record ClassMetrics(Emotion Emotion, double Precision, double Recall, double F1, long Support);
