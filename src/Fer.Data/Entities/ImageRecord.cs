namespace Fer.Data.Entities;

/// <summary>One image blob of a dataset; unique per (dataset, path). Written Pending before its message is published.</summary>
public class ImageRecord
{
    public long Id { get; set; }
    public long DatasetId { get; set; }
    public Dataset? Dataset { get; set; }

    /// <summary>Path relative to the dataset folder, '/'-separated.</summary>
    public required string Path { get; set; }

    /// <summary>Blob ETag (or a content hash for local files): a changed value means the image is scored again.</summary>
    public required string ETag { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>From the parent folder's name when it is an emotion label (FER2013 order), else null.</summary>
    public short? TrueLabel { get; set; }

    public ImageState State { get; set; }
    public string? FailureReason { get; set; }

    public DateTimeOffset DiscoveredAt { get; set; }

    /// <summary>Set once the broker confirmed the message; a Pending row with no PublishedAt is re-published by the sweeper.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Faces scored: 1 for a crop, what the detector found for a photo (0 with <see cref="ImageState.NoFace"/>);
    /// null until a terminal state, and for Failed.</summary>
    public int? FaceCount { get; set; }

    /// <summary>One row per face, <see cref="Prediction.FaceIndex"/> 0 being the largest.</summary>
    public List<Prediction> Predictions { get; set; } = [];

    /// <summary>Face 0 of the loaded <see cref="Predictions"/>: the largest face, the one reports and labels use. Not mapped.</summary>
    public Prediction? LargestFace => Predictions.FirstOrDefault(p => p.FaceIndex == 0);
}
