using Fer.Data.Reports;
using Fer.Reporting.Publishing;
using Fer.Reporting;

namespace Fer.IntegrationTests.Reports;

/// <summary>The report's GROUP BY queries on real PostgreSQL give the same hand-computed figures as on SQLite.</summary>
public sealed class PostgresReportQueryTests : PostgresDatabaseTest
{
    [Fact]
    public async Task Aggregates_on_postgres_match_the_hand_computed_known_results()
    {
        await using var db = _database.CreateContext();
        var id = await KnownResults.SeedAsync(db);

        var aggregates = await new DatasetReportQuery(db).RunAsync(id, mistakeLimit: 3);

        Assert.Equal((11L, 2L, 1L, 10L), (aggregates.ScoredCount, aggregates.FailedCount, aggregates.PendingCount, aggregates.LabelledCount));
        Assert.Equal(["sad/09.png", "happy/07.png", "angry/03.png"], aggregates.ConfidentMistakes.Select(m => m.Path));
        Assert.Equal(0.93f, aggregates.ConfidentMistakes[0].Confidence);
        Assert.Equal([(KnownResults.ModelName, 10L), (KnownResults.OldModelName, 1L)], aggregates.Models.Select(m => (m.ModelName, m.Count)));
        Assert.Equal([new ReportAggregates.FailureReason(KnownResults.BadImageReason, 2)], aggregates.TopFailureReasons);
        // PostgreSQL rounds when casting real to integer; the bins must still be floor(confidence * 10).
        Assert.Equal([0L, 0, 1, 1, 1, 1, 1, 1, 2, 3],
            Enumerable.Range(0, 10).Select(b => aggregates.Cells.Where(c => c.ScoreBin == b).Sum(c => c.Count)));

        var report = await new ReportService(db, new ReportSettings { MistakeCount = 3 }).BuildAsync(id);
        Assert.Equal(0.6, report.Accuracy, 9);
        Assert.Equal(0.5125, report.MacroF1, 9);
        Assert.Equal(3, report.Confusion[3][3]);
        Assert.Equal(1, report.Confusion[4][6]);
        // the calibration bins are floor(confidence * 15) on PostgreSQL too, not a rounded cast
        Assert.Equal([0L, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 3, 1], report.Reliability.Select(b => b.Count));
        Assert.Equal(0.1 * (0.35 + 0.55 + 0.45 + 0.35 + 0.72 + 0.81 + 0.02) + 0.3 * Math.Abs(2.0 / 3 - (0.91 + 0.88 + 0.93) / 3),
            report.ExpectedCalibrationError!.Value, 6);
    }

    [Fact]
    public async Task Publishing_twice_on_postgres_gives_a_change_section_and_due_datasets_clear()
    {
        await using var db = _database.CreateContext();
        var id = await KnownResults.SeedAsync(db);
        var folder = Directory.CreateTempSubdirectory("fer-pg-reports-");
        try
        {
            var clock = new FixedClock(new DateTimeOffset(2026, 1, 11, 2, 0, 0, TimeSpan.Zero));
            var reports = new ReportService(db, new ReportSettings(), new FolderReportStore(folder.FullName), clock);
            await reports.CreateAsync(id, ReportPublisher.NightlyTrigger);
            var prediction = await db.Predictions.SingleAsync(p => p.Image!.DatasetId == id && p.Image.Path == "neutral/10.png");
            prediction.PredictedLabel = 6;
            await db.SaveChangesAsync();
            clock.Now = clock.Now.AddDays(1);
            var second = await reports.CreateAsync(id, ReportPublisher.NightlyTrigger);

            Assert.Equal(0.1, second.Report.Change!.AccuracyDelta, 9);
            Assert.Equal(1.0, second.Report.Change.RecallDeltas.Single(r => r.Label == "neutral").Delta!.Value, 9);
            Assert.Equal(2, second.Report.Trend.Count);
            Assert.DoesNotContain(await new DueReportsQuery(db).RunAsync(), d => d.DatasetId == id);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
