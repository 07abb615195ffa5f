using Microsoft.Data.Sqlite;

namespace Fer.Tests.Embedded;

/// <summary>
/// `fer run` again on a folder it has scored: files deleted since are marked gone and left out of the summary, the
/// report and the results view; a folder that did not change is said to be unchanged and gets no new report; a file
/// that comes back is scored again.
/// </summary>
public sealed class ReconcileTests : IDisposable
{
    private const int ImageCount = 12;
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Deleted_files_are_gone_an_unchanged_rerun_writes_no_report_and_a_returning_file_is_scored_again()
    {
        var folder = Path.Combine(_work.Path, "faces");
        var files = WriteCrops(folder);
        var database = Path.Combine(_work.Path, "results.db");

        var first = await RunAsync(folder, database);
        Assert.Contains($"faces: {ImageCount} images, {ImageCount} scored, 0 failed, 0 pending", first);
        Assert.Equal(1, Scalar(database, "SELECT count(*) FROM reports"));
        Assert.Single(Reports());

        foreach (var file in files.Take(3))
            File.Delete(file);
        var second = await RunAsync(folder, database);
        Assert.Contains($"faces: {ImageCount - 3} images, {ImageCount - 3} scored, 0 failed, 0 pending", second);
        Assert.Contains("Gone: 3 files listed by an earlier run are no longer in the folder", second);
        Assert.DoesNotContain("Photos:", second); // the gone crops' faces are not counted as extra faces of the scored ones
        Assert.Contains($"Accuracy on {ImageCount - 3} labelled images", second);
        Assert.Equal(2, Scalar(database, "SELECT count(*) FROM reports")); // the figures changed, so the report is made again
        Assert.Equal(3, Scalar(database, "SELECT count(*) FROM images WHERE state = 4"));
        Assert.Equal(ImageCount - 3, Scalar(database, "SELECT count(*) FROM results"));
        Assert.Equal(ImageCount - 3, Scalar(database, "SELECT scored_count FROM reports ORDER BY id DESC LIMIT 1"));

        var reportFiles = Reports().Count;
        var third = await RunAsync(folder, database);
        Assert.Contains($"nothing new in {folder}: {ImageCount - 3} images already scored; no new report written", third);
        Assert.Equal(2, Scalar(database, "SELECT count(*) FROM reports"));
        Assert.Equal(reportFiles, Reports().Count);

        File.WriteAllBytes(files[0], Crop(0));
        var fourth = await RunAsync(folder, database);
        Assert.Contains($"faces: {ImageCount - 2} images, {ImageCount - 2} scored, 0 failed, 0 pending", fourth);
        Assert.Equal(2, Scalar(database, "SELECT count(*) FROM images WHERE state = 4"));
        Assert.Equal(ImageCount, Scalar(database, "SELECT count(*) FROM images")); // the returning file kept its row
        Assert.Equal(3, Scalar(database, "SELECT count(*) FROM reports"));

    }

    private List<string> Reports() =>
        Directory.Exists(Path.Combine(_work.Path, "reports"))
            ? Directory.EnumerateFiles(Path.Combine(_work.Path, "reports"), "*.html", SearchOption.AllDirectories).ToList()
            : [];

    private static async Task<string> RunAsync(string folder, string database)
    {
        var result = await CliRunner.RunAsync("run", folder, "--db", database, "--model", RepoPaths.ShippedModel);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        return CliText.WithoutAnsi(result.Output);
    }

    private static List<string> WriteCrops(string folder)
    {
        var files = new List<string>();
        for (var i = 0; i < ImageCount; i++)
        {
            var row = Fer2013Csv.SliceRows(ImageCount)[i];
            var directory = Path.Combine(folder, EmotionLabels.Name(row.Label));
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, $"face-{i:D2}.png");
            File.WriteAllBytes(file, Crop(i));
            files.Add(file);
        }
        return files;
    }

    private static byte[] Crop(int index)
    {
        var row = Fer2013Csv.SliceRows(ImageCount)[index];
        return TestImages.EncodeGray(row.Pixels, 48, 48);
    }

    private static long Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public void Dispose() => _work.Dispose();
}
