using Fer.Core.Labels;
using Fer.Core.Metrics;

namespace Fer.Data.Reports;

/// <summary>
/// What the database says about one dataset's results, already grouped: the report builder turns these
/// few hundred rows into metrics without ever loading per-image data.
/// </summary>
public sealed record ReportAggregates(
    long DatasetId,
    long ScoredCount,
    long FailedCount,
    long PendingCount,
    IReadOnlyList<ReportAggregates.Cell> Cells,
    IReadOnlyList<ReportAggregates.ModelUsage> Models,
    IReadOnlyList<ReportAggregates.Mistake> ConfidentMistakes,
    IReadOnlyList<ReportAggregates.FailureReason> TopFailureReasons)
{
    /// <summary>Number of score bins: confidence is grouped by floor(confidence * 10).</summary>
    public const int ScoreBinCount = 10;

    /// <summary>Scored images sharing (true label, predicted label, score bin); TrueLabel is null for unlabelled images.</summary>
    public sealed record Cell(short? TrueLabel, short PredictedLabel, int ScoreBin, long Count);

    public sealed record ModelUsage(string ModelName, string ModelSha256, long Count);

    /// <summary>A labelled image the model got wrong, with the score it gave its wrong answer.</summary>
    public sealed record Mistake(long ImageId, string Path, short TrueLabel, short PredictedLabel, float Confidence);

    public sealed record FailureReason(string Reason, long Count);

    /// <summary>
    /// Labelled scored images grouped by floor(confidence * <see cref="Fer.Core.Metrics.CalibrationCurve.DefaultBinCount"/>):
    /// how many, how many right, and the sum of their top scores (for the bin's mean confidence).
    /// </summary>
    public sealed record ReliabilityCell(int Bin, long Count, long Correct, double ConfidenceSum);

    /// <summary>Photos in which the detector found no face (done, neither scored nor failed).</summary>
    public long NoFaceCount { get; init; }

    /// <summary>Files no longer in their folder: left out of every other figure.</summary>
    public long GoneCount { get; init; }

    /// <summary>The reliability diagram's raw sums; empty when nothing labelled was scored.</summary>
    public IReadOnlyList<ReliabilityCell> Reliability { get; init; } = [];

    /// <summary>Scored images whose folder carried an emotion label.</summary>
    public long LabelledCount => Cells.Where(c => c.TrueLabel is not null).Sum(c => c.Count);

    /// <summary>Scored images per predicted emotion (each image by its largest face), labelled or not.</summary>
    public IReadOnlyDictionary<Emotion, long> PredictedCounts() =>
        Enum.GetValues<Emotion>().ToDictionary(e => e, e => Cells.Where(c => c.PredictedLabel == (short)e).Sum(c => c.Count));

    /// <summary>The confusion matrix of the labelled cells; unlabelled images have no truth to be confused with.</summary>
    public ConfusionMatrix LabelledMatrix()
    {
        var matrix = new ConfusionMatrix();
        foreach (var cell in Cells.Where(c => c.TrueLabel is not null))
            matrix.Add((Emotion)cell.TrueLabel!.Value, (Emotion)cell.PredictedLabel, cell.Count);
        return matrix;
    }

    /// <summary>Maps a confidence to its bin; a confidence of exactly 1 joins the top bin.</summary>
    public static int BinOf(double confidence) => Math.Clamp((int)Math.Floor(confidence * ScoreBinCount), 0, ScoreBinCount - 1);
}
