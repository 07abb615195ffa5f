namespace Fer.Data.Entities;

/// <summary>A top-level folder of images: in blob storage (container/folder) or a local folder (embedded mode).</summary>
public class Dataset
{
    public long Id { get; set; }

    /// <summary>Unique: the folder name in its container ("faces-2026-11"), or the local folder's name.</summary>
    public required string Name { get; set; }

    /// <summary>Blob container, or "local" for an embedded run.</summary>
    public required string Container { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped whenever a prediction or failure of this dataset is written; nightly reports compare it with their last run.</summary>
    public DateTimeOffset? ResultsChangedAt { get; set; }

    public List<ImageRecord> Images { get; set; } = [];
}
