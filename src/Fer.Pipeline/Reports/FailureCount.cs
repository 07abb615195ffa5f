namespace Fer.Pipeline.Reports;

public sealed record FailureCount(string Reason, long Count);
