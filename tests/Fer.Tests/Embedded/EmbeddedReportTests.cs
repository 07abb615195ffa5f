using Microsoft.Data.Sqlite;

namespace Fer.Tests.Embedded;

/// <summary>
/// `fer run` writes the evaluation report beside the database for a labelled folder (emotion sub-folders) and none for
/// a folder without labels, though the report is built beside the summary before it is known which one the folder is.
/// </summary>
public sealed class EmbeddedReportTests : TempDirectoryTest
{
    [Fact]
    public async Task A_labelled_folder_gets_its_report_and_an_unlabelled_one_none()
    {
        var labelled = await WriteFolderAsync("labelled", "happy/a.png", "happy/b.png", "sad/c.png");
        var unlabelled = await WriteFolderAsync("unlabelled", "a.png", "b.png", "more/c.png");
        var database = Path.Combine(_temp.Path, "results.db");

        var withLabels = await RunAsync(labelled, database);
        Assert.Equal(3, withLabels.Scored);
        Assert.NotNull(withLabels.Confusion);
        Assert.True(withLabels.ReportHtmlPath is { } html && File.Exists(html), $"no report file at {withLabels.ReportHtmlPath}");

        var withoutLabels = await RunAsync(unlabelled, database);
        Assert.Equal(3, withoutLabels.Scored);
        Assert.Null(withoutLabels.Confusion);
        Assert.Null(withoutLabels.ReportHtmlPath);

        await using var db = new SqliteConnection($"Data Source={database};Pooling=false");
        await db.OpenAsync();
        await using var perDataset = db.CreateCommand();
        perDataset.CommandText = "SELECT d.name, count(r.id) FROM datasets d LEFT JOIN reports r ON r.dataset_id = d.id GROUP BY d.name ORDER BY d.name";
        var counts = new List<(string, long)>();
        await using (var reader = await perDataset.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                counts.Add((reader.GetString(0), reader.GetInt64(1)));
        Assert.Equal([("labelled", 1L), ("unlabelled", 0L)], counts);
    }

    private async Task<string> WriteFolderAsync(string name, params string[] files)
    {
        var face = TestImages.EncodeGray(Fer2013Csv.SliceRows(1)[0].Pixels, 48, 48);
        var folder = Path.Combine(_temp.Path, name);
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, face);
        }
        return folder;
    }

    private static Task<EmbeddedRunSummary> RunAsync(string folder, string database) =>
        EmbeddedRunner.RunAsync(new EmbeddedRunOptions(folder, database) { ModelPath = RepoPaths.ShippedModel }, null, CancellationToken.None);
}
