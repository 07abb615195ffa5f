namespace Fer.Pipeline.Reports;

public sealed record ModelShare(string ModelName, string ModelSha256, long Count);
