namespace Fer.Pipeline.Persistence;

/// <summary>
/// The predictions table's columns as both prediction writers insert and upsert them (snake_case, the EF model's
/// names), so a new score column is added in one place and the PostgreSQL and SQLite statements cannot drift apart.
/// </summary>
internal static class PredictionColumns
{
    /// <summary>The conflict key: one row per face of an image.</summary>
    public const string Key = "image_id, face_index";

    /// <summary>Every column but the key, in insert order: what a re-score of the same face overwrites.</summary>
    private static readonly string[] NonKey =
    [
        "box_x", "box_y", "box_width", "box_height", "detector_confidence",
        "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral", "predicted_label", "confidence",
        "model_name", "model_sha256", "worker_id", "download_ms", "decode_ms", "detect_ms", "inference_ms", "batch_size", "scored_at",
    ];

    /// <summary>The columns whose value is the same for every row of a batch (the model, the worker, the time of the write).</summary>
    public static readonly IReadOnlySet<string> PerBatch = new HashSet<string> { "model_name", "model_sha256", "worker_id", "scored_at" };

    /// <summary>All columns, key first, in insert order.</summary>
    public static readonly IReadOnlyList<string> All = ["image_id", "face_index", .. NonKey];

    /// <summary>The column list of the INSERT.</summary>
    public static string InsertList => string.Join(", ", All);

    /// <summary>The INSERT's values (or SELECT list), one expression per column of <see cref="All"/>, in its order.</summary>
    public static string ValueList(Func<string, string> valueOf) => string.Join(", ", All.Select(valueOf));

    /// <summary>The SET list of <c>ON CONFLICT (image_id, face_index) DO UPDATE</c>: every non-key column from the refused row.</summary>
    public static string UpdateFromExcluded => string.Join(", ", NonKey.Select(column => $"{column} = excluded.{column}"));
}
