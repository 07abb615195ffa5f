using System.CommandLine;

namespace Fer.Tests.Reports;

public sealed class ReportCommandTests : SqliteDatabaseTest
{
    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { ReportCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Reports_an_embedded_database_into_the_given_folder()
    {
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db);
        var outDir = Path.Combine(_database.Folder, "out");

        var (exit, output, error) = await RunAsync("report", "faces", "--db", _database.FilePath, "--out", outDir);

        Assert.True(exit == 0, error);
        Assert.Contains("accuracy  60.0%", output);
        Assert.Contains("11 scored (10 labelled), 2 failed, 1 pending", output);
        var html = Assert.Single(Directory.GetFiles(Path.Combine(outDir, "reports", "faces"), "*.html"));
        Assert.Contains("60.0%", await File.ReadAllTextAsync(html));
        Assert.Single(Directory.GetFiles(Path.Combine(outDir, "reports", "faces"), "*.json"));
        Assert.Single(Directory.GetFiles(Path.Combine(outDir, "reports", "faces"), "*.md"));
    }

    [Fact]
    public async Task Without_out_the_files_land_beside_the_sqlite_file()
    {
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db);

        var (exit, _, error) = await RunAsync("report", "local/faces", "--db", _database.FilePath);

        Assert.True(exit == 0, error);
        Assert.Single(Directory.GetFiles(Path.Combine(_database.Folder, "reports", "faces"), "*.html"));
    }

    [Fact]
    public async Task An_embedded_dataset_gets_thumbnails_from_its_own_folder()
    {
        // Embedded runs name a dataset by its absolute folder path, container "local".
        var folder = Path.Combine(_database.Folder, "faces");
        Directory.CreateDirectory(Path.Combine(folder, "sad"));
        using (var bitmap = new SkiaSharp.SKBitmap(64, 64))
        {
            bitmap.Erase(SkiaSharp.SKColors.Gray);
            using var png = SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            await File.WriteAllBytesAsync(Path.Combine(folder, "sad", "09.png"), png.ToArray());
        }
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db, folder);

        var (exit, _, error) = await RunAsync("report", folder, "--db", _database.FilePath, "--mistakes", "2");

        Assert.True(exit == 0, error);
        var json = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_database.Folder, "reports", "faces"), "*.json")));
        var report = Fer.Reporting.Rendering.JsonReportRenderer.Parse(json)!;
        Assert.StartsWith("data:image/png;base64,", report.ConfidentMistakes[0].ThumbnailDataUri); // sad/09.png exists
        Assert.Null(report.ConfidentMistakes[1].ThumbnailDataUri);                                 // happy/07.png does not
    }

    [Fact]
    public async Task Unknown_dataset_and_bad_options_exit_non_zero_with_a_message()
    {
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db);

        var missing = await RunAsync("report", "nope", "--db", _database.FilePath);
        Assert.Equal(ExitCodes.BadInput, missing.Exit);
        Assert.Contains("error: no dataset named 'nope'", missing.Error);

        var both = await RunAsync("report", "faces", "--db", _database.FilePath, "--connection", "Host=127.0.0.1");
        Assert.NotEqual(0, both.Exit);
        Assert.Contains("exactly one of --connection", both.Error);

        var noFile = await RunAsync("report", "faces", "--db", Path.Combine(_database.Folder, "absent.db"));
        Assert.Equal(ExitCodes.BadInput, noFile.Exit);
        Assert.Contains("error: no database file", noFile.Error);
    }
}
