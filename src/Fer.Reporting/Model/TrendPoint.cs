namespace Fer.Reporting.Model;

public sealed record TrendPoint(DateTimeOffset CreatedAt, double Accuracy, double MacroF1);
