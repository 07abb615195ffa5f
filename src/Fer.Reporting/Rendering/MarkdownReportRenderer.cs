using System.Text;
using Fer.Reporting.Model;

namespace Fer.Reporting.Rendering;

/// <summary>Summary and tables in GitHub-flavoured Markdown; user-supplied text is escaped so it cannot break a table or inject HTML.</summary>
public static class MarkdownReportRenderer
{
    public static string Render(DatasetReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Evaluation report: {Escape(report.Dataset)}");
        md.AppendLine();
        md.AppendLine($"- Container: {Escape(report.Container)}");
        md.AppendLine($"- Model: {Escape(report.ModelName)} (sha256 `{ReportFormat.ShortSha(report.ModelSha256)}`)");
        if (report.Models.Count > 1)
            md.AppendLine($"- Mixed models: {string.Join(", ", report.Models.Select(m => $"{Escape(m.ModelName)} `{ReportFormat.ShortSha(m.ModelSha256)}` ({ReportFormat.Count(m.Count)})"))}");
        md.AppendLine($"- Created: {ReportFormat.Timestamp(report.CreatedAt)}");
        md.AppendLine($"- Images: {ReportFormat.Count(report.ScoredCount)} scored ({ReportFormat.Count(report.LabelledCount)} labelled), " +
                      $"{ReportFormat.Count(report.FailedCount)} failed, {ReportFormat.Count(report.PendingCount)} pending");
        md.AppendLine();
        AppendTable(md, null, ["Metric", "Value", "Change"], leftColumns: 1,
        [
            ["Accuracy", ReportFormat.Percent(report.Accuracy), report.Change is { } c1 ? ReportFormat.PointsDelta(c1.AccuracyDelta) : "first report"],
            ["Balanced accuracy", ReportFormat.Percent(report.BalancedAccuracy), ""],
            ["Macro-F1", ReportFormat.Ratio(report.MacroF1), report.Change is { } c2 ? ReportFormat.PointsDelta(c2.MacroF1Delta) : ""],
            ["Calibration error (ECE, 15 bins)", report.ExpectedCalibrationError is { } ece ? ReportFormat.Ratio(ece) : "n/a", ""],
        ]);

        AppendTable(md, "Per class", ["Class", "Precision", "Recall", "F1", "Support", "Predicted", "Recall change"], leftColumns: 1,
            report.Classes.Select(c =>
            {
                var delta = report.Change?.RecallDeltas.FirstOrDefault(d => d.Label == c.Label)?.Delta;
                return (IReadOnlyList<string>)[c.Label, ReportFormat.Percent(c.Precision), ReportFormat.Percent(c.Recall), ReportFormat.Ratio(c.F1),
                    ReportFormat.Count(c.Support), ReportFormat.Count(c.Predicted), delta is { } d ? ReportFormat.PointsDelta(d) : ""];
            }));

        AppendTable(md, "Confusion matrix (rows: true, columns: predicted)", ["true \\ predicted", .. report.Labels], leftColumns: 1,
            report.Labels.Select((label, t) => (IReadOnlyList<string>)[label, .. report.Confusion[t].Select(ReportFormat.Count)]));

        if (report.TopConfusions.Count > 0)
            AppendTable(md, "Top confusions", ["True", "Predicted as", "Count", "Share of true class"], leftColumns: 2,
                report.TopConfusions.Select(p => (IReadOnlyList<string>)[p.TrueLabel, p.PredictedLabel, ReportFormat.Count(p.Count), ReportFormat.Percent(p.Share)]));

        if (report.ConfidentMistakes.Count > 0)
            AppendTable(md, "Most confident mistakes", ["Path", "True", "Predicted", "Confidence"], leftColumns: 3,
                report.ConfidentMistakes.Select(m => (IReadOnlyList<string>)[Escape(m.Path), m.TrueLabel, m.PredictedLabel, ReportFormat.Percent(m.Confidence)]));

        AppendTable(md, "Confidence distribution", ["Confidence", "Images", "Labelled", "Correct", "Accuracy in bin"], leftColumns: 1,
            report.ScoreDistribution.Select(b => (IReadOnlyList<string>)[ReportFormat.BinRange(b), ReportFormat.Count(b.Count), ReportFormat.Count(b.Labelled),
                ReportFormat.Count(b.Correct), b.Labelled == 0 ? "" : ReportFormat.Percent((double)b.Correct / b.Labelled)]));

        if (report.TopFailureReasons.Count > 0)
            AppendTable(md, "Failures", ["Reason", "Images"], leftColumns: 1,
                report.TopFailureReasons.Select(f => (IReadOnlyList<string>)[Escape(f.Reason), ReportFormat.Count(f.Count)]));

        if (report.Trend.Count > 1)
            AppendTable(md, "Accuracy trend", ["Report", "Accuracy", "Macro-F1"], leftColumns: 1,
                report.Trend.Select(p => (IReadOnlyList<string>)[ReportFormat.Timestamp(p.CreatedAt), ReportFormat.Percent(p.Accuracy), ReportFormat.Ratio(p.MacroF1)]));
        return md.ToString();
    }

    /// <summary>An optional "## heading", then one table: the first <paramref name="leftColumns"/> columns left-aligned, the rest (figures) right-aligned.</summary>
    private static void AppendTable(StringBuilder md, string? heading, IReadOnlyList<string> columns, int leftColumns,
        IEnumerable<IReadOnlyList<string>> rows)
    {
        if (heading is not null)
        {
            md.AppendLine($"## {heading}");
            md.AppendLine();
        }
        md.AppendLine($"| {string.Join(" | ", columns)} |");
        md.AppendLine("|" + string.Concat(columns.Select((_, i) => i < leftColumns ? "---|" : "---:|")));
        foreach (var row in rows)
            md.AppendLine($"| {string.Join(" | ", row)} |");
        md.AppendLine();
    }

    /// <summary>Backslash-escapes Markdown punctuation and entity-encodes angle brackets and ampersands; newlines become spaces.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\r' or '\n': sb.Append(' '); break;
                case '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '!' or '|' or '~':
                    sb.Append('\\').Append(ch); break;
                default: sb.Append(ch); break;
            }
        }
        return sb.ToString();
    }
}
