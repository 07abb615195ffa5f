namespace Fer.Pipeline.Reports;

public sealed record TrendPoint(DateTimeOffset CreatedAt, double Accuracy, double MacroF1);
