using Fer.Reporting.Model;

namespace Fer.Tests.Reports;

public sealed class ReportEscapingTests : SqliteDatabaseTest
{
    private const string HostileDataset = "<script>alert(1)</script>";
    private const string HostilePath = "angry/\"><img src=x onerror=alert(2)>|*x*.png";

    private async Task<DatasetReport> HostileReportAsync()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db, HostileDataset);
        var image = db.Images.Single(i => i.DatasetId == id && i.Path == "sad/09.png");
        image.Path = HostilePath;
        image.FailureReason = null;
        db.Images.Single(i => i.DatasetId == id && i.Path == "sad/13.png").FailureReason = "<b>bad</b> & worse";
        await db.SaveChangesAsync();
        return await new ReportService(db, new ReportSettings()).BuildAsync(id);
    }

    public static TheoryData<string> TextRenderers => ["html", "markdown"];

    private static string Render(string renderer, DatasetReport report) =>
        renderer == "html" ? HtmlReportRenderer.Render(report) : MarkdownReportRenderer.Render(report);

    [Theory]
    [MemberData(nameof(TextRenderers))]
    public async Task Text_renderers_emit_no_raw_script_or_image_tag(string renderer)
    {
        var text = Render(renderer, await HostileReportAsync());

        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Html_escapes_dataset_names_paths_and_failure_reasons()
    {
        var html = HtmlReportRenderer.Render(await HostileReportAsync());

        Assert.DoesNotContain("<b>bad</b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", html);
        Assert.Contains("&lt;b&gt;bad&lt;/b&gt; &amp; worse", html);
    }

    [Fact]
    public async Task Markdown_escapes_html_and_table_breaking_characters()
    {
        var markdown = MarkdownReportRenderer.Render(await HostileReportAsync());

        Assert.Contains("# Evaluation report: &lt;script&gt;alert\\(1\\)&lt;/script&gt;", markdown);
        Assert.Contains("\\|\\*x\\*.png |", markdown); // the pipe cannot end the table cell early
    }

    [Fact]
    public async Task Json_keeps_the_names_verbatim_and_the_file_name_is_made_safe()
    {
        var report = await HostileReportAsync();
        var parsed = JsonReportRenderer.Parse(JsonReportRenderer.Render(report))!;

        Assert.Equal(HostileDataset, parsed.Dataset);
        Assert.Equal(HostilePath, parsed.ConfidentMistakes[0].Path);
        Assert.Equal("script_", ReportPublisher.SafeName(HostileDataset)); // the part after the last '/', made safe
        Assert.Equal("faces", ReportPublisher.SafeName("/home/me/faces/")); // embedded datasets are absolute folder paths
        Assert.Equal("_", ReportPublisher.SafeName(".."));
    }
}
