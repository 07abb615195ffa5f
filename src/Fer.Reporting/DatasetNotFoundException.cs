namespace Fer.Reporting;

/// <summary>The dataset asked for is not in the database (hosts answer 404, the CLI exits non-zero).</summary>
public sealed class DatasetNotFoundException(string message) : Exception(message);
