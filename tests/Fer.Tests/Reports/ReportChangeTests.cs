namespace Fer.Tests.Reports;

public sealed class ReportChangeTests : SqliteDatabaseTest
{
    [Fact]
    public async Task Second_report_shows_deltas_against_the_first_and_a_two_point_trend()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero));
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        var reports = new ReportService(db, new ReportSettings(), new FolderReportStore(_database.Folder), clock);

        var first = await reports.CreateAsync(id, ReportPublisher.NightlyTrigger);

        // The neutral image is re-scored correctly: 7 of 10 right now.
        var fixedPrediction = await db.Predictions.SingleAsync(p => p.Image!.DatasetId == id && p.Image.Path == "neutral/10.png");
        fixedPrediction.PredictedLabel = 6;
        await db.SaveChangesAsync();
        clock.Now = clock.Now.AddDays(1);
        var second = await reports.CreateAsync(id, ReportPublisher.OnDemandTrigger);

        var change = second.Report.Change;
        Assert.NotNull(change);
        Assert.Equal(first.ReportId, change.PreviousReportId);
        Assert.Equal(0.6, change.PreviousAccuracy, 9);
        Assert.Equal(0.7, second.Report.Accuracy, 9);
        Assert.Equal(0.1, change.AccuracyDelta, 9);
        // macro-F1 before: (0.8 + 0.75 + 0.5 + 0) / 4; after: neutral F1 = 2/3, happy F1 = 2*1*0.75/1.75
        var macroAfter = (0.8 + 2 * 0.75 / 1.75 + 0.5 + 2.0 / 3) / 4;
        Assert.Equal(macroAfter, second.Report.MacroF1, 9);
        Assert.Equal(macroAfter - 0.5125, change.MacroF1Delta, 9);

        var recall = change.RecallDeltas.ToDictionary(d => d.Label);
        Assert.Equal(0.0, recall["neutral"].Previous!.Value, 9);
        Assert.Equal(1.0, recall["neutral"].Delta!.Value, 9);
        Assert.Equal(0.0, recall["happy"].Delta!.Value, 9);
        Assert.Equal(0.0, recall["angry"].Delta!.Value, 9);
        Assert.Null(recall["disgust"].Delta); // no disgust images: no recall to compare

        Assert.Equal([0.6, 0.7], second.Report.Trend.Select(t => Math.Round(t.Accuracy, 9)));
        Assert.Equal([first.Report.CreatedAt, clock.Now], second.Report.Trend.Select(t => t.CreatedAt));
    }

    [Fact]
    public async Task Two_reports_in_the_same_second_keep_their_own_files()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        var store = FolderReportStore.NextToDatabase(_database.FilePath);
        var at = new DateTimeOffset(2026, 1, 10, 2, 3, 4, TimeSpan.Zero);

        var first = await new ReportService(db, new ReportSettings(), store, new FixedClock(at)).CreateAsync(id, ReportPublisher.OnDemandTrigger);
        var firstJson = await File.ReadAllTextAsync(first.JsonLocation);
        var second = await new ReportService(db, new ReportSettings(), store, new FixedClock(at.AddMilliseconds(250))).CreateAsync(id, ReportPublisher.NightlyTrigger);

        Assert.NotEqual(first.HtmlLocation, second.HtmlLocation);
        Assert.NotEqual(first.JsonLocation, second.JsonLocation);
        Assert.Equal(firstJson, await File.ReadAllTextAsync(first.JsonLocation)); // not overwritten by the second
        Assert.NotEqual(firstJson, await File.ReadAllTextAsync(second.JsonLocation));
    }

    [Fact]
    public async Task Publishing_stores_a_report_row_and_writes_three_files_named_by_dataset_and_time()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 10, 2, 3, 4, TimeSpan.Zero));
        var store = FolderReportStore.NextToDatabase(_database.FilePath);

        var published = await new ReportService(db, new ReportSettings(), store, clock).CreateAsync(id, ReportPublisher.OnDemandTrigger);

        var stem = Path.Combine(_database.Folder, "reports", "faces", "20260110T020304.000Z");
        Assert.Equal(stem + ".html", published.HtmlLocation);
        Assert.Equal(stem + ".json", published.JsonLocation);
        Assert.Equal(stem + ".md", published.MarkdownLocation);
        Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(published.HtmlLocation));
        Assert.Contains("# Evaluation report: faces", await File.ReadAllTextAsync(published.MarkdownLocation));

        await using var fresh = _database.Open();
        var row = await fresh.Reports.SingleAsync();
        Assert.Equal(id, row.DatasetId);
        Assert.Equal(0.6, row.Accuracy, 9);
        Assert.Equal(0.5125, row.MacroF1, 9);
        Assert.Equal(11, row.ScoredCount);
        Assert.Equal(2, row.FailedCount);
        Assert.Equal(KnownResults.ModelSha, row.ModelSha256);
        Assert.Equal("on-demand", row.Trigger);
        Assert.Equal(await File.ReadAllTextAsync(published.JsonLocation), row.Json);

        var parsed = JsonReportRenderer.Parse(row.Json);
        Assert.NotNull(parsed);
        Assert.Equal(published.Report.Confusion, parsed.Confusion);
        Assert.Equal(published.Report.Accuracy, parsed.Accuracy);
        Assert.Equal(published.Report.Classes, parsed.Classes);
        Assert.Equal(published.Report.ScoreDistribution, parsed.ScoreDistribution);
    }

    [Fact]
    public void Recalls_of_an_unreadable_stored_report_are_simply_missing()
    {
        Assert.Empty(Fer.Data.Reports.ReportHistoryQuery.ReadClassRecalls("{ not json"));
        Assert.Empty(Fer.Data.Reports.ReportHistoryQuery.ReadClassRecalls("""{"classes": 3}"""));
        Assert.Equal(0.5, Fer.Data.Reports.ReportHistoryQuery.ReadClassRecalls("""{"classes":[{"label":"sad","recall":0.5,"support":2},{"label":"fear","recall":0,"support":0}]}""")["sad"]);
    }
}
