namespace Fer.Data.Entities;

/// <summary>A top-level folder of images: in blob storage (container/folder) or a local folder (embedded mode).</summary>
public class Dataset
{
    public long Id { get; set; }

    /// <summary>
    /// What people call the dataset: the folder name in its container ("faces-2026-11"), or for an embedded run the
    /// name given with <c>fer run --name</c>, else the local folder's own name ("samples"). Not unique on its own.
    /// </summary>
    public required string Name { get; set; }

    /// <summary>
    /// Where its images are, unique per container: the folder in the blob container (the same as <see cref="Name"/>),
    /// or the local folder's absolute path with '/' separators ("/home/me/photos/samples").
    /// </summary>
    public required string Path { get; set; }

    /// <summary>Blob container, or "local" for an embedded run.</summary>
    public required string Container { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped whenever a prediction or failure of this dataset is written; nightly reports compare it with their last run.</summary>
    public DateTimeOffset? ResultsChangedAt { get; set; }

    public List<ImageRecord> Images { get; set; } = [];
}
