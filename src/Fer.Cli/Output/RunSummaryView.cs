using Fer.Core.Labels;
using Fer.Pipeline.Embedded;

namespace Fer.Cli.Output;

/// <summary>Prints an embedded run's results: counts per emotion, accuracy and confusion matrix when labelled, failures, the database.</summary>
public static class RunSummaryView
{
    public static void Render(IAnsiConsole console, EmbeddedRunSummary summary)
    {
        console.MarkupLineInterpolated($"[bold]{summary.Dataset}[/]: {Counted.Of(summary.Total, "image")}, {summary.Scored} scored, {summary.Failed} failed, {summary.Pending} pending");
        if (summary.Gone > 0)
            console.MarkupLineInterpolated($"Gone: {Counted.Of(summary.Gone, "file")} listed by an earlier run {(summary.Gone == 1 ? "is" : "are")} no longer in the folder; they are left out of every figure");
        // Only photos make a difference between images and faces; a folder of crops prints as before.
        if (summary.NoFace > 0 || summary.Faces != summary.Scored)
            console.MarkupLineInterpolated($"Photos: {Counted.Of(summary.Faces, "face")} scored in {Counted.Of(summary.Scored, "image")}; no face found in {summary.NoFace}; the counts below take each image's largest face");

        var counts = new Table().AddColumn("Predicted emotion").AddColumn(new TableColumn("Images").RightAligned()).AddColumn(new TableColumn("Share").RightAligned());
        foreach (var emotion in Enum.GetValues<Emotion>())
        {
            var n = summary.PredictedCounts[emotion];
            counts.AddRow(EmotionLabels.Name(emotion), n.ToString(), summary.Scored == 0 ? "-" : $"{100.0 * n / summary.Scored:0.0}%");
        }
        console.Write(counts);

        if (summary.Confusion is { } matrix)
        {
            console.MarkupLineInterpolated($"Accuracy on {Counted.Of(matrix.Total, "labelled image")}: [bold]{matrix.Accuracy:P1}[/] (balanced {matrix.BalancedAccuracy:P1}, macro-F1 {matrix.MacroF1:0.000})");
            var table = new Table().Title("Confusion matrix (rows: true label, columns: predicted)").AddColumn("true \\ predicted");
            foreach (var name in EmotionLabels.Names)
                table.AddColumn(new TableColumn(name).RightAligned());
            foreach (var truth in Enum.GetValues<Emotion>())
                table.AddRow([EmotionLabels.Name(truth), .. matrix.Row(truth).Select(c => c.ToString())]);
            console.Write(table);
        }

        if (summary.Failures.Count > 0)
        {
            var more = summary.Failed > summary.Failures.Count;
            var failures = new Table().Title(more ? $"Failed images ({summary.Failures.Count} of {summary.Failed})" : $"Failed images ({summary.Failed})")
                .AddColumn("Path").AddColumn("Reason");
            foreach (var (path, reason) in summary.Failures)
                failures.AddRow(Markup.Escape(EscapeControl(path)), Markup.Escape(reason));
            console.Write(failures);
            // Written past the console's renderer, which would wrap a command meant to be pasted as one line.
            if (more)
                console.Profile.Out.Writer.WriteLine($"All {summary.Failed} with their reasons: sqlite3 {ShellQuote(summary.DatabasePath)} " +
                                  $"\"SELECT path, failure_reason FROM image_status WHERE dataset = {SqlQuote(summary.Dataset)} AND state = 'failed'\"");
        }
        if (summary.Listing is { TotalSkipped: > 0 } listing)
        {
            var skipped = new Table().Title($"Entries not listed ({listing.TotalSkipped}): never opened, never scored")
                .AddColumn("Reason").AddColumn(new TableColumn("Count").RightAligned()).AddColumn("For example");
            foreach (var (reason, count) in listing.CountsByReason.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal))
            {
                var examples = listing.ExamplesOf(reason).Take(2).Select(e => Shorten(EscapeControl(e.Detail is null ? e.Path : $"{e.Path} ({e.Detail})")));
                skipped.AddRow(Markup.Escape(reason), count.ToString(), Markup.Escape(string.Join(", ", examples)));
            }
            console.Write(skipped);
        }
        console.MarkupLineInterpolated($"Results database: [bold]{summary.DatabasePath}[/]");
        if (summary.ReportHtmlPath is not null)
            console.MarkupLineInterpolated($"Evaluation report: [bold]{summary.ReportHtmlPath}[/] (with .json and .md beside it)");
    }

    // Pasted into a shell: single quotes unless the path is plain; inside them only a quote needs care.
    private static string ShellQuote(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+".Contains(c)) ? path : "'" + path.Replace("'", "'\\''") + "'";

    // A SQL string literal inside the shell's double quotes: quotes doubled; characters the shell expands there escaped.
    private static string SqlQuote(string value) =>
        "'" + value.Replace("'", "''").Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`") + "'";

    // A path past PATH_MAX is thousands of characters: its start and end say enough.
    private static string Shorten(string text) => text.Length <= 100 ? text : $"{text[..60]}...{text[^37..]}";

    // A name may hold a newline or an escape sequence: shown as \n or \u001b so one entry stays on one line.
    private static string EscapeControl(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? (c == '\n' ? "\\n" : $"\\u{(int)c:x4}") : c.ToString())) : text;
}
