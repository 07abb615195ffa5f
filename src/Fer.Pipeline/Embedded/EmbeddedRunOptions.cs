namespace Fer.Pipeline.Embedded;

/// <summary>What `fer run` needs: a local folder, a SQLite file and the model.</summary>
public sealed record EmbeddedRunOptions(string Folder, string DatabasePath)
{
    /// <summary>The dataset's name (<c>fer run --name</c>); null: a new dataset takes the folder's own name, a known one keeps its name.</summary>
    public string? Name { get; init; }

    public string ModelPath { get; init; } = Fer.Inference.ModelLocator.DefaultModelPath;
    public int IntraOpThreads { get; init; }
    public int MessageLimit { get; init; } = 128;

    /// <summary>Batches in flight: while one runs the model, the next is read and decoded or the last is written.</summary>
    public int ConcurrencyLimit { get; init; } = 2;

    /// <summary>Crop/detect decision (<c>fer run --faces</c>); Auto: small images and <c>.fer-crops</c> folders are crops.</summary>
    public Fer.Inference.Faces.FaceMode Faces { get; init; } = Fer.Inference.Faces.FaceMode.Auto;

    /// <summary>Follow symbolic links inside the folder (<c>fer run --follow-links</c>); off: links are reported, not followed.</summary>
    public bool FollowLinks { get; init; }
    /// <summary>Which detector searches photos (<c>fer run --detector</c>).</summary>
    public Fer.Inference.Faces.FaceDetectorKind Detector { get; init; } = Fer.Inference.Faces.FaceDetectorKind.BlazeFace;

    /// <summary>Give up when no image changes state for this long (a stuck run should end, not hang).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The default database: fer-results.db beside the folder, or in the working directory when the folder has no parent.</summary>
    public static string DefaultDatabasePath(string folder)
    {
        var parent = Directory.GetParent(Path.GetFullPath(folder).TrimEnd('/', '\\'));
        return Path.Combine(parent?.FullName ?? Directory.GetCurrentDirectory(), "fer-results.db");
    }
}
