using System.Text.RegularExpressions;
using Fer.Core.Metrics;
using Fer.Data.Reports;
using Fer.Reporting.Model;

namespace Fer.Tests.Reports;

public sealed class ReportComputationTests : SqliteDatabaseTest
{
    private async Task<DatasetReport> GenerateKnownReportAsync(int mistakes = 3)
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        return await new ReportService(db, new ReportSettings { MistakeCount = mistakes }).BuildAsync(id);
    }

    [Fact]
    public async Task Counts_and_headline_metrics_match_hand_computed_values()
    {
        var report = await GenerateKnownReportAsync();

        Assert.Equal(KnownResults.DatasetName, report.Dataset);
        Assert.Equal(11, report.ScoredCount);
        Assert.Equal(10, report.LabelledCount);
        Assert.Equal(2, report.FailedCount);
        Assert.Equal(1, report.PendingCount);
        Assert.Equal(0.6, report.Accuracy, 9);                                   // 6 of 10 right
        Assert.Equal((2.0 / 3 + 3.0 / 4 + 1.0 / 2 + 0) / 4, report.BalancedAccuracy, 9); // classes present: angry, happy, sad, neutral
        Assert.Equal((0.8 + 0.75 + 0.5 + 0) / 4, report.MacroF1, 9);
    }

    [Fact]
    public async Task Per_class_figures_match_hand_computed_values()
    {
        var report = await GenerateKnownReportAsync();
        var byLabel = report.Classes.ToDictionary(c => c.Label);

        Assert.Equal(EmotionLabels.Names, report.Classes.Select(c => c.Label));
        AssertClass(byLabel["angry"], precision: 1, recall: 2.0 / 3, f1: 0.8, support: 3, predicted: 2);
        AssertClass(byLabel["happy"], precision: 0.75, recall: 0.75, f1: 0.75, support: 4, predicted: 4);
        AssertClass(byLabel["sad"], precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2);
        AssertClass(byLabel["neutral"], precision: 0, recall: 0, f1: 0, support: 1, predicted: 1);
        AssertClass(byLabel["surprise"], precision: 0, recall: 0, f1: 0, support: 0, predicted: 1);
        // the unlabelled image predicted "fear" is not part of the labelled metrics
        AssertClass(byLabel["fear"], precision: 0, recall: 0, f1: 0, support: 0, predicted: 0);
    }

    private static void AssertClass(ClassReport c, double precision, double recall, double f1, long support, long predicted)
    {
        Assert.Equal(precision, c.Precision, 9);
        Assert.Equal(recall, c.Recall, 9);
        Assert.Equal(f1, c.F1, 9);
        Assert.Equal(support, c.Support);
        Assert.Equal(predicted, c.Predicted);
    }

    [Fact]
    public async Task Calibration_error_and_reliability_bins_match_hand_computed_values()
    {
        var report = await GenerateKnownReportAsync();

        // labelled rows by floor(confidence * 15): 5: 0.35 wrong; 6: 0.45 right; 8: 0.55 right; 9: 0.65 right;
        // 10: 0.72 wrong; 12: 0.81 wrong; 13: 0.91 right, 0.88 right, 0.93 wrong; 14: 0.98 right
        Assert.Equal([0L, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 3, 1], report.Reliability.Select(b => b.Count));
        Assert.Equal(2.0 / 3, report.Reliability[13].Accuracy, 9);
        Assert.Equal((0.91 + 0.88 + 0.93) / 3, report.Reliability[13].MeanConfidence, 6);
        var expected = 0.1 * (0.35 + 0.55 + 0.45 + 0.35 + 0.72 + 0.81 + 0.02) + 0.3 * Math.Abs(2.0 / 3 - (0.91 + 0.88 + 0.93) / 3);
        Assert.Equal(expected, report.ExpectedCalibrationError!.Value, 6);

        var html = HtmlReportRenderer.Render(report);
        Assert.Contains("id=\"reliability\"", html);
        Assert.Contains("id=\"ece\"", html);
        Assert.Matches(@"Calibration error \(ECE, 15 bins\) *\| *" + Regex.Escape(ReportFormat.Ratio(expected)), MarkdownReportRenderer.Render(report));
        var parsed = JsonReportRenderer.Parse(JsonReportRenderer.Render(report))!;
        Assert.Equal(report.ExpectedCalibrationError, parsed.ExpectedCalibrationError);
        Assert.Equal(report.Reliability, parsed.Reliability);
    }

    [Fact]
    public async Task A_dataset_without_labels_has_no_calibration_section()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        foreach (var image in db.Images.Where(i => i.DatasetId == id))
            image.TrueLabel = null;
        await db.SaveChangesAsync();
        var report = await new ReportService(db, new ReportSettings()).BuildAsync(id);

        Assert.Null(report.ExpectedCalibrationError);
        Assert.Empty(report.Reliability);
        Assert.DoesNotContain("id=\"reliability\"", HtmlReportRenderer.Render(report));
    }

    [Fact]
    public async Task Figures_agree_with_a_confusion_matrix_built_row_by_row_like_fer_eval()
    {
        var report = await GenerateKnownReportAsync();
        var matrix = new ConfusionMatrix();
        foreach (var row in KnownResults.Scored.Where(r => r.True is not null))
            matrix.Add((Emotion)row.True!.Value, (Emotion)row.Predicted);

        Assert.Equal(matrix.ToJagged(), report.Confusion);
        Assert.Equal(matrix.Accuracy, report.Accuracy);
        Assert.Equal(matrix.BalancedAccuracy, report.BalancedAccuracy);
        Assert.Equal(matrix.MacroF1, report.MacroF1);
        Assert.Equal(matrix.PerClass().Select(c => (c.Precision, c.Recall, c.F1, c.Support)),
            report.Classes.Select(c => (c.Precision, c.Recall, c.F1, c.Support)));
    }

    [Fact]
    public async Task Confusion_cells_and_row_normalisation_come_from_the_grouped_counts()
    {
        var report = await GenerateKnownReportAsync();

        long[][] expected =
        [
            [2, 0, 0, 0, 1, 0, 0],
            [0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 3, 0, 1, 0],
            [0, 0, 0, 0, 1, 0, 1],
            [0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 1, 0, 0, 0],
        ];
        Assert.Equal(expected, report.Confusion);
        Assert.Equal(2.0 / 3, report.ConfusionRowNormalised[0][0], 9);
        Assert.Equal(1.0 / 3, report.ConfusionRowNormalised[0][4], 9);
        Assert.Equal(1.0, report.ConfusionRowNormalised[6][3], 9);
        Assert.All(report.ConfusionRowNormalised[1], v => Assert.Equal(0, v)); // no disgust images: zeros, not NaN
    }

    [Fact]
    public async Task Top_confusions_rank_by_count_then_share_of_the_true_class()
    {
        var report = await GenerateKnownReportAsync();

        Assert.Equal(
            [("neutral", "happy"), ("sad", "neutral"), ("angry", "sad"), ("happy", "surprise")],
            report.TopConfusions.Select(p => (p.TrueLabel, p.PredictedLabel)).ToList());
        Assert.Equal([1.0, 0.5, 1.0 / 3, 0.25], report.TopConfusions.Select(p => p.Share));
        Assert.All(report.TopConfusions, p => Assert.Equal(1, p.Count));
    }

    [Fact]
    public async Task Most_confident_mistakes_are_ordered_by_confidence_and_limited()
    {
        var report = await GenerateKnownReportAsync(mistakes: 3);

        Assert.Equal(
            [("sad/09.png", "sad", "neutral"), ("happy/07.png", "happy", "surprise"), ("angry/03.png", "angry", "sad")],
            report.ConfidentMistakes.Select(m => (m.Path, m.TrueLabel, m.PredictedLabel)).ToList());
        Assert.Equal(0.93, report.ConfidentMistakes[0].Confidence, 5);
        Assert.All(report.ConfidentMistakes, m => Assert.Null(m.ThumbnailDataUri)); // no image source given
    }

    [Fact]
    public async Task Score_distribution_counts_every_scored_image_in_ten_bins()
    {
        var report = await GenerateKnownReportAsync();

        Assert.Equal(10, report.ScoreDistribution.Count);
        Assert.Equal([0, 0, 1, 1, 1, 1, 1, 1, 2, 3], report.ScoreDistribution.Select(b => b.Count));
        Assert.Equal([0, 0, 0, 1, 1, 1, 1, 1, 2, 3], report.ScoreDistribution.Select(b => b.Labelled));
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 0, 1, 2], report.ScoreDistribution.Select(b => b.Correct));
        Assert.Equal(0.3, report.ScoreDistribution[3].Lower, 9);
        Assert.Equal(0.4, report.ScoreDistribution[3].Upper, 9);
    }

    [Fact]
    public async Task Models_failures_and_first_report_extras_are_reported()
    {
        var report = await GenerateKnownReportAsync();

        Assert.Equal(KnownResults.ModelName, report.ModelName);
        Assert.Equal(KnownResults.ModelSha, report.ModelSha256);
        Assert.Equal([(KnownResults.ModelName, 10L), (KnownResults.OldModelName, 1L)], report.Models.Select(m => (m.ModelName, m.Count)));
        Assert.Equal([new FailureCount(KnownResults.BadImageReason, 2)], report.TopFailureReasons);
        Assert.Null(report.Change);
        Assert.Equal([0.6], report.Trend.Select(t => Math.Round(t.Accuracy, 9)));
    }

    [Fact]
    public async Task A_confidence_of_exactly_one_falls_in_the_top_bin()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        var prediction = db.Predictions.Single(p => p.Image!.Path == "happy/04.png" && p.Image.DatasetId == id);
        prediction.Confidence = 1.0f;
        await db.SaveChangesAsync();

        var aggregates = await new DatasetReportQuery(db).RunAsync(id);

        Assert.Equal(3, aggregates.Cells.Where(c => c.ScoreBin == 9).Sum(c => c.Count));
        Assert.DoesNotContain(aggregates.Cells, c => c.ScoreBin > 9);
    }

    [Fact]
    public async Task A_photo_with_several_faces_counts_once_by_its_largest_face()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        var before = await new DatasetReportQuery(db).RunAsync(id);
        // happy/04.png becomes a photo: two more, smaller faces, both confidently "angry".
        var image = db.Images.Single(i => i.Path == "happy/04.png" && i.DatasetId == id);
        for (short face = 1; face <= 2; face++)
        {
            var extra = KnownResults.NewPrediction(0, 0.97f, KnownResults.ModelName, KnownResults.ModelSha, DateTimeOffset.UnixEpoch);
            extra.ImageId = image.Id;
            extra.FaceIndex = face;
            db.Predictions.Add(extra);
        }
        await db.SaveChangesAsync();

        var after = await new DatasetReportQuery(db).RunAsync(id);

        Assert.Equal(before.Cells, after.Cells);
        Assert.Equal(before.ConfidentMistakes, after.ConfidentMistakes);
        Assert.Equal(before.Models, after.Models);
    }

    [Fact]
    public async Task Unknown_dataset_is_reported_as_not_found()
    {
        await using var db = _database.Open();
        await Assert.ThrowsAsync<DatasetNotFoundException>(() => new ReportService(db, new ReportSettings()).BuildAsync(12345));
    }
}
