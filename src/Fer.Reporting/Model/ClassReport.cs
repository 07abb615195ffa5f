namespace Fer.Reporting.Model;

/// <summary>Per-class metrics; Predicted is how often the model chose this class.</summary>
public sealed record ClassReport(string Label, double Precision, double Recall, double F1, long Support, long Predicted);
