using System.Text;

namespace Fer.Pipeline.Reports;

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
        md.AppendLine("| Metric | Value | Change |");
        md.AppendLine("|---|---:|---:|");
        md.AppendLine($"| Accuracy | {ReportFormat.Percent(report.Accuracy)} | {(report.Change is { } c1 ? ReportFormat.PointsDelta(c1.AccuracyDelta) : "first report")} |");
        md.AppendLine($"| Balanced accuracy | {ReportFormat.Percent(report.BalancedAccuracy)} | |");
        md.AppendLine($"| Macro-F1 | {ReportFormat.Ratio(report.MacroF1)} | {(report.Change is { } c2 ? ReportFormat.PointsDelta(c2.MacroF1Delta) : "")} |");
        md.AppendLine();

        md.AppendLine("## Per class");
        md.AppendLine();
        md.AppendLine("| Class | Precision | Recall | F1 | Support | Predicted | Recall change |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in report.Classes)
        {
            var delta = report.Change?.RecallDeltas.FirstOrDefault(d => d.Label == c.Label)?.Delta;
            md.AppendLine($"| {c.Label} | {ReportFormat.Percent(c.Precision)} | {ReportFormat.Percent(c.Recall)} | {ReportFormat.Ratio(c.F1)} | " +
                          $"{ReportFormat.Count(c.Support)} | {ReportFormat.Count(c.Predicted)} | {(delta is { } d ? ReportFormat.PointsDelta(d) : "")} |");
        }
        md.AppendLine();

        md.AppendLine("## Confusion matrix (rows: true, columns: predicted)");
        md.AppendLine();
        md.AppendLine("| true \\ predicted | " + string.Join(" | ", report.Labels) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", report.Labels.Count)));
        for (var t = 0; t < report.Labels.Count; t++)
            md.AppendLine($"| {report.Labels[t]} | " + string.Join(" | ", report.Confusion[t].Select(ReportFormat.Count)) + " |");
        md.AppendLine();

        if (report.TopConfusions.Count > 0)
        {
            md.AppendLine("## Top confusions");
            md.AppendLine();
            md.AppendLine("| True | Predicted as | Count | Share of true class |");
            md.AppendLine("|---|---|---:|---:|");
            foreach (var p in report.TopConfusions)
                md.AppendLine($"| {p.TrueLabel} | {p.PredictedLabel} | {ReportFormat.Count(p.Count)} | {ReportFormat.Percent(p.Share)} |");
            md.AppendLine();
        }

        if (report.ConfidentMistakes.Count > 0)
        {
            md.AppendLine("## Most confident mistakes");
            md.AppendLine();
            md.AppendLine("| Path | True | Predicted | Confidence |");
            md.AppendLine("|---|---|---|---:|");
            foreach (var m in report.ConfidentMistakes)
                md.AppendLine($"| {Escape(m.Path)} | {m.TrueLabel} | {m.PredictedLabel} | {ReportFormat.Percent(m.Confidence)} |");
            md.AppendLine();
        }

        md.AppendLine("## Confidence distribution");
        md.AppendLine();
        md.AppendLine("| Confidence | Images | Labelled | Correct | Accuracy in bin |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var b in report.ScoreDistribution)
            md.AppendLine($"| {ReportFormat.BinRange(b)} | {ReportFormat.Count(b.Count)} | " +
                          $"{ReportFormat.Count(b.Labelled)} | {ReportFormat.Count(b.Correct)} | {(b.Labelled == 0 ? "" : ReportFormat.Percent((double)b.Correct / b.Labelled))} |");
        md.AppendLine();

        if (report.TopFailureReasons.Count > 0)
        {
            md.AppendLine("## Failures");
            md.AppendLine();
            md.AppendLine("| Reason | Images |");
            md.AppendLine("|---|---:|");
            foreach (var f in report.TopFailureReasons)
                md.AppendLine($"| {Escape(f.Reason)} | {ReportFormat.Count(f.Count)} |");
            md.AppendLine();
        }

        if (report.Trend.Count > 1)
        {
            md.AppendLine("## Accuracy trend");
            md.AppendLine();
            md.AppendLine("| Report | Accuracy | Macro-F1 |");
            md.AppendLine("|---|---:|---:|");
            foreach (var p in report.Trend)
                md.AppendLine($"| {ReportFormat.Timestamp(p.CreatedAt)} | {ReportFormat.Percent(p.Accuracy)} | {ReportFormat.Ratio(p.MacroF1)} |");
            md.AppendLine();
        }
        return md.ToString();
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
