namespace Fer.Reporting.Model;

public sealed record ConfidentMistake(string Path, string TrueLabel, string PredictedLabel, double Confidence, string? ThumbnailDataUri);
