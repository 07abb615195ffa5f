namespace Fer.Pipeline.Ingestion;

/// <summary>What one ingestion pass over a dataset folder did.</summary>
public sealed record IngestResult(long DatasetId, string Container, string Dataset, int Listed, int Added, int Changed, int Unchanged, int Published,
    int Gone = 0);
