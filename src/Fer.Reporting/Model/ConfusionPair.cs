namespace Fer.Reporting.Model;

/// <summary>An off-diagonal confusion cell: Share is Count over the true class's support.</summary>
public sealed record ConfusionPair(string TrueLabel, string PredictedLabel, long Count, double Share);
