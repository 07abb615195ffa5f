using Fer.Data.Reports;

namespace Fer.Tests.Reports;

public sealed class DueReportsQueryTests : SqliteDatabaseTest
{
    [Fact]
    public async Task Only_labelled_datasets_changed_since_their_last_report_are_due()
    {
        var t0 = new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
        await using var db = _database.Open();
        var neverReported = Add(db, "never-reported", labelled: true, changedAt: t0);
        var upToDate = Add(db, "up-to-date", labelled: true, changedAt: t0);
        var changedAgain = Add(db, "changed-again", labelled: true, changedAt: t0.AddHours(5));
        Add(db, "unlabelled", labelled: false, changedAt: t0);
        Add(db, "never-scored", labelled: true, changedAt: null);
        await db.SaveChangesAsync();
        AddReport(db, upToDate.Id, t0.AddHours(1));
        AddReport(db, changedAgain.Id, t0.AddHours(1));
        AddReport(db, changedAgain.Id, t0.AddHours(2));
        await db.SaveChangesAsync();

        var due = await new DueReportsQuery(db).RunAsync();

        Assert.Equal(["never-reported", "changed-again"], due.Select(d => d.Name));
        Assert.Null(due[0].LastReportAt);
        Assert.Equal(t0.AddHours(2), due[1].LastReportAt);
        Assert.Equal(neverReported.Id, due[0].DatasetId);
    }

    private static Dataset Add(Fer.Data.FerDbContext db, string name, bool labelled, DateTimeOffset? changedAt)
    {
        var dataset = new Dataset { Name = name, Path = name, Container = "c", CreatedAt = DateTimeOffset.UnixEpoch, ResultsChangedAt = changedAt };
        db.Datasets.Add(dataset);
        db.Images.Add(KnownResults.NewImage(dataset, "x/1.png", labelled ? (short)3 : null, ImageState.Pending, DateTimeOffset.UnixEpoch));
        return dataset;
    }

    private static void AddReport(Fer.Data.FerDbContext db, long datasetId, DateTimeOffset at) => db.Reports.Add(new Report
    {
        DatasetId = datasetId, CreatedAt = at, ModelName = "m", ModelSha256 = "s", Trigger = "nightly", Json = "{}", Html = "", Markdown = "",
    });
}
