using System.Text.RegularExpressions;
using Fer.Reporting.Publishing;
using Fer.Reporting;

namespace Fer.IntegrationTests.Reports;

/// <summary>Opens a rendered report in a real browser and reads back what a person would see.</summary>
public sealed partial class ReportBrowserTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("fer-report-browser-");

    public void Dispose() => _folder.Delete(recursive: true);

    private async Task<string> PublishKnownReportAsync(string datasetName)
    {
        var dbFile = Path.Combine(_folder.FullName, "fer.db");
        await SqliteSchema.MigrateAsync($"Data Source={dbFile}");
        await using var db = FerDbContexts.ForSqlite(dbFile);
        var id = await KnownResults.SeedAsync(db, datasetName);
        var published = await new ReportService(db, new ReportSettings(), FolderReportStore.NextToDatabase(dbFile)).CreateAsync(id, ReportPublisher.OnDemandTrigger);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return published.HtmlLocation;
    }

    [Fact]
    public async Task Rendered_dom_shows_accuracy_class_names_and_confusion_counts()
    {
        var html = await PublishKnownReportAsync("faces");

        var dom = await HeadlessChromium.DumpDomAsync(html);

        Assert.Matches(@"id=""accuracy"".*?Accuracy.*?60\.0%", dom);
        Assert.Matches(@"id=""macro-f1"".*?0\.513", dom); // (0.8 + 0.75 + 0.5 + 0) / 4 = 0.5125, shown to 3 places
        foreach (var label in new[] { "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral" })
            Assert.Contains($">{label}</text>", dom);
        Assert.Equal("3", ConfusionCellCount("happy", "happy"));
        Assert.Equal("2", ConfusionCellCount("angry", "angry"));
        Assert.Equal("1", ConfusionCellCount("sad", "neutral"));
        Assert.Equal("0", ConfusionCellCount("neutral", "neutral"));
        Assert.Contains("sad/09.png", dom);

        string ConfusionCellCount(string truth, string predicted)
        {
            var cell = Regex.Match(dom, $@"<g class=""cell"" data-true=""{truth}"" data-predicted=""{predicted}"">.*?</g>", RegexOptions.Singleline);
            Assert.True(cell.Success, $"no confusion cell {truth}/{predicted} in the DOM");
            return CellCount().Match(cell.Value).Groups[1].Value;
        }
    }

    [Fact]
    public async Task A_hostile_dataset_name_is_shown_as_text_and_never_runs()
    {
        var html = await PublishKnownReportAsync("<script>document.title='pwned'</script>");

        var dom = await HeadlessChromium.DumpDomAsync(html);

        Assert.DoesNotContain("<title>pwned", dom);
        Assert.Contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;</span>", dom);
        Assert.DoesNotContain("<script", dom);
    }

    [Fact]
    public async Task Screenshot_renders_a_full_page_png()
    {
        var html = await PublishKnownReportAsync("faces");
        var png = Path.Combine(_folder.FullName, "report.png");

        await HeadlessChromium.ScreenshotAsync(html, png, 1280, 1600);

        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        // IHDR: width and height, big-endian, at bytes 16..24
        Assert.Equal(1280, (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19]);
        Assert.Equal(1600, (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23]);
        Assert.True(bytes.Length > 20_000, $"a {bytes.Length}-byte screenshot is too small to hold the charts");
    }

    [GeneratedRegex(@"class=""cell-count""[^>]*>([\d,]+)</text>")]
    private static partial Regex CellCount();
}
