namespace Fer.Tests.Reports;

/// <summary>
/// A small dataset whose report figures were worked out by hand (see the expectations in the tests).
/// Shared by the SQLite unit tests and the PostgreSQL integration test, so both stores must agree.
/// </summary>
public static class KnownResults
{
    public const string DatasetName = "faces";
    public const string ModelName = "fer-cnn";
    // Stand-ins for SHA-256 digests: 64 hex digits, like the real ones the models table holds.
    public static readonly string ModelSha = new('a', 64);
    public const string OldModelName = "fer-cnn-old";
    public static readonly string OldModelSha = new('b', 64);
    public const string BadImageReason = "not a decodable image (unknown or corrupt format)";

    // (path, true label, predicted label, confidence): labels in FER2013 order, 0 angry .. 6 neutral.
    public static readonly (string Path, short? True, short Predicted, float Confidence)[] Scored =
    [
        ("angry/01.png", 0, 0, 0.91f),
        ("angry/02.png", 0, 0, 0.55f),
        ("angry/03.png", 0, 4, 0.72f),   // mistake: angry -> sad
        ("happy/04.png", 3, 3, 0.98f),
        ("happy/05.png", 3, 3, 0.88f),
        ("happy/06.png", 3, 3, 0.65f),
        ("happy/07.png", 3, 5, 0.81f),   // mistake: happy -> surprise
        ("sad/08.png", 4, 4, 0.45f),
        ("sad/09.png", 4, 6, 0.93f),     // mistake: sad -> neutral, the most confident one
        ("neutral/10.png", 6, 3, 0.35f), // mistake: neutral -> happy
        ("misc/11.png", null, 2, 0.25f), // unlabelled, scored by the old model
    ];

    public static async Task<long> SeedAsync(FerDbContext db, string datasetName = DatasetName, DateTimeOffset? resultsChangedAt = null)
    {
        var now = new DateTimeOffset(2026, 1, 10, 1, 0, 0, TimeSpan.Zero);
        var dataset = new Dataset { Name = datasetName, Path = datasetName, Container = "local", CreatedAt = now, ResultsChangedAt = resultsChangedAt ?? now };
        db.Datasets.Add(dataset);
        foreach (var (path, truth, predicted, confidence) in Scored)
        {
            var image = NewImage(dataset, path, truth, ImageState.Scored, now);
            var old = path == "misc/11.png";
            image.Predictions.Add(NewPrediction(predicted, confidence, old ? OldModelName : ModelName, old ? OldModelSha : ModelSha, now));
            db.Images.Add(image);
        }
        db.Images.Add(NewImage(dataset, "happy/12.png", 3, ImageState.Failed, now, BadImageReason));
        db.Images.Add(NewImage(dataset, "sad/13.png", 4, ImageState.Failed, now, BadImageReason));
        db.Images.Add(NewImage(dataset, "angry/14.png", 0, ImageState.Pending, now));

        // Another dataset's confident mistake must not leak into this report.
        var other = new Dataset { Name = datasetName + "-other", Path = datasetName + "-other", Container = "local", CreatedAt = now, ResultsChangedAt = now };
        db.Datasets.Add(other);
        var stranger = NewImage(other, "angry/99.png", 0, ImageState.Scored, now);
        stranger.Predictions.Add(NewPrediction(3, 0.99f, ModelName, ModelSha, now));
        db.Images.Add(stranger);

        await db.SaveChangesAsync();
        return dataset.Id;
    }

    public static ImageRecord NewImage(Dataset dataset, string path, short? truth, ImageState state, DateTimeOffset now, string? failure = null) => new()
    {
        Dataset = dataset,
        Path = path,
        ETag = "etag-" + path,
        SizeBytes = 1000,
        TrueLabel = truth,
        State = state,
        FailureReason = failure,
        DiscoveredAt = now,
        PublishedAt = now,
        CompletedAt = state == ImageState.Pending ? null : now,
    };

    /// <summary>A plausible score vector whose arg-max is <paramref name="predicted"/> with <paramref name="confidence"/>.</summary>
    public static Prediction NewPrediction(short predicted, float confidence, string model, string sha, DateTimeOffset now)
    {
        var rest = (1 - confidence) / 6;
        var scores = Enumerable.Repeat(rest, 7).ToArray();
        scores[predicted] = confidence;
        return new Prediction
        {
            Scores = EmotionScores.From(scores),
            PredictedLabel = predicted,
            Confidence = confidence,
            ModelName = model,
            ModelSha256 = sha,
            WorkerId = "test",
            BatchSize = 1,
            ScoredAt = now,
        };
    }
}
