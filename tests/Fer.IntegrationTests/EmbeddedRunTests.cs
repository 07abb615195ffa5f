using System.CommandLine;
using Fer.Cli;

namespace Fer.IntegrationTests;

/// <summary>`fer run samples/` in-process: in-process queue, local folder, SQLite; the same ingestor and batch handler as the services.</summary>
public sealed class EmbeddedRunTests : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("fer-run-").FullName;

    [Fact]
    public async Task Run_on_samples_scores_all_42_faces_and_prints_the_summary()
    {
        var dbPath = Path.Combine(_workDir, "results.db");
        var (exitCode, output, error) = await RunFerAsync("run", RepoPaths.Samples, "--db", dbPath);
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        Assert.Contains("42 images, 42 scored, 0 failed, 0 pending", output);
        Assert.Contains("Accuracy on 42 labelled images", output);
        Assert.Contains("Confusion matrix", output);
        Assert.Contains(dbPath, output);

        await using var db = OpenSqlite(dbPath);
        var images = await db.Images.Include(i => i.Predictions).ToListAsync();
        Assert.Equal(42, images.Count);
        Assert.All(images, i => Assert.Equal(ImageState.Scored, i.State));
        Assert.All(images, i => Assert.NotNull(i.LargestFace));
        foreach (var emotion in Enum.GetValues<Emotion>())
            Assert.Equal(6, images.Count(i => i.TrueLabel == (short)emotion));
        // The summary counts are the stored predictions, per emotion.
        foreach (var emotion in Enum.GetValues<Emotion>())
        {
            var n = images.Count(i => i.LargestFace!.PredictedLabel == (short)emotion);
            Assert.Matches($@"│ {EmotionLabels.Name(emotion)}\s+│\s+{n} │", output);
        }

        // A labelled folder also gets its evaluation report beside the database, with the same accuracy.
        var reportHtml = Directory.GetFiles(Path.Combine(_workDir, "reports"), "*.html", SearchOption.AllDirectories);
        Assert.Single(reportHtml);
        Assert.Contains(reportHtml[0], output);
        var report = Fer.Reporting.Rendering.JsonReportRenderer.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(reportHtml[0], ".json")))!;
        var correct = images.Count(i => i.LargestFace!.PredictedLabel == i.TrueLabel);
        Assert.Equal(42, report.ScoredCount);
        Assert.Equal(correct / 42.0, report.Accuracy, 9);

        // A second run finds nothing new: same rows, same predictions.
        var scoredAt = images.ToDictionary(i => i.Id, i => i.LargestFace!.ScoredAt);
        var (again, _, _) = await RunFerAsync("run", RepoPaths.Samples, "--db", dbPath);
        Assert.Equal(0, again);
        await using var db2 = OpenSqlite(dbPath);
        Assert.Equal(42, await db2.Predictions.CountAsync());
        foreach (var p in await db2.Predictions.ToListAsync())
            Assert.Equal(scoredAt[p.ImageId], p.ScoredAt);
    }

    [Fact]
    public async Task Run_on_a_folder_with_bad_files_reports_them_as_failed()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_workDir, "mixed")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "happy"));
        var row = Fer2013Images.ReadRows(RepoPaths.PublicTestSlice)[0];
        await File.WriteAllBytesAsync(Path.Combine(folder, "happy", "ok.png"), Fer2013Images.EncodePng(row.Gray48));
        await File.WriteAllBytesAsync(Path.Combine(folder, "broken.jpg"), "garbage"u8.ToArray());
        await File.WriteAllBytesAsync(Path.Combine(folder, "empty.png"), []);

        var (exitCode, output, error) = await RunFerAsync("run", folder);
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        Assert.Contains("3 images, 1 scored, 2 failed, 0 pending", output);
        Assert.Contains("empty file", output);
        Assert.True(File.Exists(Path.Combine(_workDir, "fer-results.db")), "default database beside the folder");
    }

    private static FerDbContext OpenSqlite(string path) =>
        new(new DbContextOptionsBuilder<FerDbContext>().UseSqlite($"Data Source={path};Pooling=false").Options);

    private static async Task<(int ExitCode, string Output, string Error)> RunFerAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await Program.BuildRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_workDir, recursive: true);
    }
}
