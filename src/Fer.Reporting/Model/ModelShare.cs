namespace Fer.Reporting.Model;

public sealed record ModelShare(string ModelName, string ModelSha256, long Count);
