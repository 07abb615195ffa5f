using System.Globalization;
using System.Text;
using Fer.Data;
using Fer.Data.Entities;
using Fer.Reporting.Model;
using Fer.Reporting.Rendering;

namespace Fer.Reporting.Publishing;

/// <summary>
/// Renders a report three ways, writes reports/&lt;dataset&gt;/&lt;timestamp&gt;.html|json|md to the store and then stores it
/// as a reports row (what GET /reports/{dataset}/latest serves and the history later reports compare with).
/// <para>
/// The row is the commit point, written last in one INSERT: a host killed before it commits leaves no row, so the
/// dataset is still due and the next run reports it, and at worst some complete files of that attempt without a row (each
/// store writes a file atomically: a blob upload is committed whole, a local file is renamed into place). A row never
/// exists without its three files, and no reader ever gets part of one.
/// </para>
/// </summary>
public sealed class ReportPublisher(IReportStore store)
{
    public const string NightlyTrigger = "nightly";
    public const string OnDemandTrigger = "on-demand";

    public async Task<PublishedReport> PublishAsync(FerDbContext db, DatasetReport report, string trigger, CancellationToken cancellationToken = default)
    {
        var html = HtmlReportRenderer.Render(report);
        var json = JsonReportRenderer.Render(report);
        var markdown = MarkdownReportRenderer.Render(report);

        var row = new Report
        {
            DatasetId = report.DatasetId,
            CreatedAt = report.CreatedAt,
            ModelName = report.ModelName,
            ModelSha256 = report.ModelSha256,
            ScoredCount = report.ScoredCount,
            FailedCount = report.FailedCount,
            Accuracy = report.Accuracy,
            MacroF1 = report.MacroF1,
            Trigger = trigger,
            Json = json,
            Html = html,
            Markdown = markdown,
        };
        var stem = StemOf(report.Dataset, report.CreatedAt);
        var htmlAt = await store.WriteAsync(stem + ".html", html, "text/html; charset=utf-8", cancellationToken);
        var jsonAt = await store.WriteAsync(stem + ".json", json, "application/json", cancellationToken);
        var markdownAt = await store.WriteAsync(stem + ".md", markdown, "text/markdown; charset=utf-8", cancellationToken);

        db.Reports.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new PublishedReport(row.Id, report, htmlAt, jsonAt, markdownAt);
    }

    /// <summary>Where a report's three files go, without extension: <c>reports/&lt;dataset&gt;/20260110T020304.123Z</c>.</summary>
    public static string StemOf(string dataset, DateTimeOffset createdAt) =>
        // Milliseconds in the name: the nightly run and an on-demand one (or two POSTs) can land in the same second, and
        // with whole seconds the later would overwrite the files the earlier report's row points at.
        $"reports/{SafeName(dataset)}/{createdAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// A dataset name as one safe path segment: its last '/'-separated part (embedded datasets are named by
    /// their absolute folder path), with letters, digits, '.', '-', '_' kept and anything else '_'.
    /// </summary>
    public static string SafeName(string dataset)
    {
        var leaf = dataset.TrimEnd('/', '\\');
        leaf = leaf[(leaf.LastIndexOfAny(['/', '\\']) + 1)..];
        var sb = new StringBuilder(leaf.Length);
        foreach (var ch in leaf)
            sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_');
        var name = sb.ToString().Trim('.');
        return name.Length == 0 ? "_" : name;
    }
}
