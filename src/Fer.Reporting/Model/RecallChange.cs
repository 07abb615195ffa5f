namespace Fer.Reporting.Model;

/// <summary>Previous and Delta are null when the class had no images in the previous report or has none now.</summary>
public sealed record RecallChange(string Label, double? Previous, double Current, double? Delta);
