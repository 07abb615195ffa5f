namespace Fer.Pipeline.Ingestion;

/// <summary>What one ingestion pass over a dataset folder did.</summary>
/// <param name="Skipped">blob folders: the files the listing left out, by reason (HEIC photos, documents); null where not counted</param>
public sealed record IngestResult(long DatasetId, string Container, string Dataset, int Listed, int Added, int Changed, int Unchanged, int Published,
    int Gone = 0, IReadOnlyDictionary<string, int>? Skipped = null);
