namespace Fer.Contracts;

/// <summary>
/// Integration event: score one image. Carries a reference to the blob, never its bytes.
/// <see cref="ETag"/> lets the worker ignore a stale message after the blob changed.
/// </summary>
public sealed record ScoreImage(
    long ImageId,
    long DatasetId,
    string Container,
    string BlobName,
    string ETag);
