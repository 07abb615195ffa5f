using System.Text;

namespace Fer.Tests.Reports;

/// <summary>
/// A report host can be killed at any moment of a report. The reports row (what GET latest serves, and what marks the
/// dataset as reported) must only exist once its three files are complete, and a file must never be seen half-written.
/// </summary>
public sealed class ReportAtomicityTests : SqliteDatabaseTest
{
    [Fact]
    public async Task The_reports_row_is_inserted_only_after_all_three_files_are_written()
    {
        long datasetId;
        await using (var db = _database.Open())
            datasetId = await KnownResults.SeedAsync(db);
        var store = new RowCountingStore(_database, new FolderReportStore(Path.Combine(_database.Folder, "out")));

        await using (var db = _database.Open())
        {
            var published = await new ReportService(db, new ReportSettings(), store).CreateAsync(datasetId, ReportPublisher.NightlyTrigger);
            Assert.Equal(await File.ReadAllTextAsync(published.HtmlLocation), (await db.Reports.SingleAsync()).Html);
        }

        // While each file was written, no row existed yet that a reader could be served without its files.
        Assert.Equal([".html", ".json", ".md"], store.Writes.Select(w => Path.GetExtension(w.Path)));
        Assert.All(store.Writes, w => Assert.Equal(0, w.RowsWhileWriting));
    }

    [Fact]
    public async Task A_report_whose_last_file_cannot_be_written_leaves_no_row_and_the_dataset_stays_due()
    {
        long datasetId;
        await using (var db = _database.Open())
            datasetId = await KnownResults.SeedAsync(db);
        var folder = new FolderReportStore(Path.Combine(_database.Folder, "out"));

        await using (var db = _database.Open())
        {
            var failing = new FailingStore(folder, failOnWrite: 3); // the host dies before the .md is written
            await Assert.ThrowsAsync<IOException>(() => new ReportService(db, new ReportSettings(), failing).CreateAsync(datasetId, ReportPublisher.NightlyTrigger));
        }
        await using (var db = _database.Open())
        {
            Assert.Equal(0, await db.Reports.CountAsync());
            var due = await new Fer.Data.Reports.DueReportsQuery(db).RunAsync();
            Assert.Contains(due, d => d.DatasetId == datasetId);

            // The next run produces the report, whole.
            var published = await new ReportService(db, new ReportSettings(), folder).CreateAsync(datasetId, ReportPublisher.NightlyTrigger);
            var row = await db.Reports.SingleAsync();
            Assert.Equal(row.Html, await File.ReadAllTextAsync(published.HtmlLocation));
            Assert.Equal(row.Json, await File.ReadAllTextAsync(published.JsonLocation));
            Assert.Equal(row.Markdown, await File.ReadAllTextAsync(published.MarkdownLocation));
        }
    }

    [Fact]
    public async Task A_reader_of_a_folder_report_being_replaced_sees_one_whole_version_or_the_other()
    {
        var store = new FolderReportStore(Path.Combine(_database.Folder, "out"));
        // Different lengths and fillers: a truncated or mixed read is told apart from both versions.
        var versions = new[] { new string('a', 6 << 20), new string('b', 4 << 20) + "</html>" };
        var path = await store.WriteAsync("reports/faces/r.html", versions[0], "text/html", default);

        using var stop = new CancellationTokenSource();
        var reads = 0;
        var torn = new List<int>();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(path);
                reads++;
                if (text != versions[0] && text != versions[1])
                    torn.Add(text.Length);
            }
        });
        for (var i = 1; i <= 30; i++)
            await store.WriteAsync("reports/faces/r.html", versions[i % 2], "text/html", default);
        stop.Cancel();
        await reader;

        Assert.True(reads > 0);
        Assert.True(torn.Count == 0, $"{torn.Count} of {reads} reads saw a partly written file (lengths {string.Join(", ", torn.Take(5))})");
        Assert.Equal(["r.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName)); // no temporary left
    }

    [Fact]
    public async Task A_cancelled_write_keeps_the_previous_file_and_leaves_no_temporary()
    {
        var store = new FolderReportStore(Path.Combine(_database.Folder, "out"));
        var path = await store.WriteAsync("reports/faces/r.json", "{\"v\":1}", "application/json", default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.WriteAsync("reports/faces/r.json", "{\"v\":2}", "application/json", new CancellationToken(canceled: true)));

        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(path));
        Assert.Equal(["r.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    /// <summary>Counts the reports rows (through its own connection) each time a file is written.</summary>
    private sealed class RowCountingStore(SqliteTestDatabase database, IReportStore inner) : IReportStore
    {
        public List<(string Path, int RowsWhileWriting)> Writes { get; } = [];

        public async Task<string> WriteAsync(string relativePath, string content, string contentType, CancellationToken cancellationToken)
        {
            await using (var db = database.Open())
                Writes.Add((relativePath, await db.Reports.CountAsync(cancellationToken)));
            return await inner.WriteAsync(relativePath, content, contentType, cancellationToken);
        }
    }

    private sealed class FailingStore(IReportStore inner, int failOnWrite) : IReportStore
    {
        private int _writes;

        public Task<string> WriteAsync(string relativePath, string content, string contentType, CancellationToken cancellationToken) =>
            ++_writes == failOnWrite
                ? throw new IOException($"write {_writes} failed: {Encoding.UTF8.GetByteCount(content)} bytes not written")
                : inner.WriteAsync(relativePath, content, contentType, cancellationToken);
    }
}
