namespace Fer.Pipeline.Reports;

public sealed record ConfidentMistake(string Path, string TrueLabel, string PredictedLabel, double Confidence, string? ThumbnailDataUri);
