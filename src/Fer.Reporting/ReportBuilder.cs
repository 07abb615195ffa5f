using Fer.Core.Labels;
using Fer.Core.Metrics;
using Fer.Data.Reports;
using Fer.Reporting.Model;

namespace Fer.Reporting;

/// <summary>
/// Turns database aggregates and report history into a <see cref="DatasetReport"/>. Pure: no I/O, so the
/// arithmetic can be tested on hand-made inputs. All metrics go through <see cref="ConfusionMatrix"/>.
/// </summary>
public static class ReportBuilder
{
    public const int TopConfusionCount = 10;

    public sealed record DatasetIdentity(long Id, string Name, string Container);

    /// <param name="history">Earlier reports of the dataset, newest first (the first one is the "previous" report).</param>
    /// <param name="thumbnails">Data URIs by image id for the confident mistakes; missing ids get none.</param>
    public static DatasetReport Build(
        DatasetIdentity dataset,
        ReportAggregates aggregates,
        IReadOnlyList<ReportHistoryQuery.Entry> history,
        DateTimeOffset createdAt,
        IReadOnlyDictionary<long, string>? thumbnails = null)
    {
        var matrix = aggregates.LabelledMatrix();
        var classes = matrix.PerClass()
            .Select(c => new ClassReport(EmotionLabels.Name(c.Emotion), c.Precision, c.Recall, c.F1, c.Support, matrix.PredictedCount(c.Emotion)))
            .ToList();
        var confusion = matrix.ToJagged();
        var calibration = CalibrationOf(aggregates.Reliability);
        var main = aggregates.Models.FirstOrDefault();
        var accuracy = matrix.Accuracy;
        var macroF1 = matrix.MacroF1;

        return new DatasetReport
        {
            DatasetId = dataset.Id,
            Dataset = dataset.Name,
            Container = dataset.Container,
            ModelName = main?.ModelName ?? "",
            ModelSha256 = main?.ModelSha256 ?? "",
            Models = aggregates.Models.Select(m => new ModelShare(m.ModelName, m.ModelSha256, m.Count)).ToList(),
            CreatedAt = createdAt,
            ScoredCount = aggregates.ScoredCount,
            FailedCount = aggregates.FailedCount,
            PendingCount = aggregates.PendingCount,
            LabelledCount = matrix.Total,
            Accuracy = accuracy,
            BalancedAccuracy = matrix.BalancedAccuracy,
            MacroF1 = macroF1,
            Labels = EmotionLabels.Names,
            Classes = classes,
            Confusion = confusion,
            ConfusionRowNormalised = RowNormalised(confusion),
            TopConfusions = TopConfusions(matrix),
            ConfidentMistakes = ConfidentMistakes(aggregates.ConfidentMistakes, thumbnails),
            ScoreDistribution = ScoreDistribution(aggregates.Cells),
            Reliability = calibration.Total == 0 ? [] : calibration.Bins(),
            ExpectedCalibrationError = calibration.Total == 0 ? null : calibration.ExpectedCalibrationError,
            TopFailureReasons = aggregates.TopFailureReasons.Select(f => new FailureCount(f.Reason, f.Count)).ToList(),
            Change = history.Count == 0 ? null : ChangeAgainst(history[0], accuracy, macroF1, classes),
            Trend = history.Reverse().Select(h => new TrendPoint(h.CreatedAt, h.Accuracy, h.MacroF1))
                .Append(new TrendPoint(createdAt, accuracy, macroF1))
                .ToList(),
        };
    }

    /// <summary>Each row as shares of its true label's support (a row with no support stays all zeros).</summary>
    private static double[][] RowNormalised(long[][] confusion) => confusion
        .Select(row =>
        {
            var support = row.Sum();
            return row.Select(c => support == 0 ? 0.0 : (double)c / support).ToArray();
        })
        .ToArray();

    /// <summary>The most frequent true-to-predicted mistakes, ties broken by share then by name so the order is stable.</summary>
    private static List<ConfusionPair> TopConfusions(ConfusionMatrix matrix) => (
            from t in Enum.GetValues<Emotion>()
            from p in Enum.GetValues<Emotion>()
            where t != p && matrix[t, p] > 0
            select new ConfusionPair(EmotionLabels.Name(t), EmotionLabels.Name(p), matrix[t, p],
                (double)matrix[t, p] / matrix.Support(t)))
        .OrderByDescending(c => c.Count).ThenByDescending(c => c.Share)
        .ThenBy(c => c.TrueLabel, StringComparer.Ordinal).ThenBy(c => c.PredictedLabel, StringComparer.Ordinal)
        .Take(TopConfusionCount)
        .ToList();

    private static List<ConfidentMistake> ConfidentMistakes(IEnumerable<ReportAggregates.Mistake> mistakes, IReadOnlyDictionary<long, string>? thumbnails) =>
        mistakes
            .Select(m => new ConfidentMistake(m.Path, EmotionLabels.Name((Emotion)m.TrueLabel), EmotionLabels.Name((Emotion)m.PredictedLabel),
                m.Confidence, thumbnails is not null && thumbnails.TryGetValue(m.ImageId, out var uri) ? uri : null))
            .ToList();

    /// <summary>Per equal-width bin of the top score: all faces, the labelled ones, and the correct ones.</summary>
    private static List<ScoreBin> ScoreDistribution(IReadOnlyList<ReportAggregates.Cell> cells) =>
        Enumerable.Range(0, ReportAggregates.ScoreBinCount)
            .Select(b =>
            {
                var inBin = cells.Where(c => c.ScoreBin == b).ToList();
                return new ScoreBin(
                    (double)b / ReportAggregates.ScoreBinCount,
                    (double)(b + 1) / ReportAggregates.ScoreBinCount,
                    inBin.Sum(c => c.Count),
                    inBin.Where(c => c.TrueLabel is not null).Sum(c => c.Count),
                    inBin.Where(c => c.TrueLabel == c.PredictedLabel).Sum(c => c.Count));
            })
            .ToList();

    private static CalibrationCurve CalibrationOf(IEnumerable<ReportAggregates.ReliabilityCell> reliability)
    {
        var calibration = new CalibrationCurve();
        foreach (var cell in reliability)
            calibration.AddBin(cell.Bin, cell.Count, cell.Correct, cell.ConfidenceSum);
        return calibration;
    }

    private static ReportChange ChangeAgainst(ReportHistoryQuery.Entry previous, double accuracy, double macroF1, IReadOnlyList<ClassReport> classes)
    {
        var recallDeltas = classes
            .Select(c => c.Support > 0 && previous.ClassRecalls.TryGetValue(c.Label, out var before)
                ? new RecallChange(c.Label, before, c.Recall, c.Recall - before)
                : new RecallChange(c.Label, null, c.Recall, null))
            .ToList();
        return new ReportChange(previous.ReportId, previous.CreatedAt, previous.ModelSha256,
            previous.Accuracy, accuracy - previous.Accuracy,
            previous.MacroF1, macroF1 - previous.MacroF1,
            recallDeltas);
    }
}
