namespace Fer.Reporting.Model;

public sealed record FailureCount(string Reason, long Count);
