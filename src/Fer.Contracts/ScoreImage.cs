namespace Fer.Contracts;

/// <summary>
/// Integration event: score one image. Carries a reference to the blob, never its bytes.
/// <see cref="ETag"/> lets the worker ignore a stale message after the blob changed. <see cref="Dataset"/> is the dataset
/// folder (where a <c>.fer-crops</c> marker would be); messages published before it existed carry null, and the worker
/// then takes the blob name's first segment.
/// </summary>
public sealed record ScoreImage(
    long ImageId,
    long DatasetId,
    string Container,
    string BlobName,
    string ETag,
    string? Dataset = null);
