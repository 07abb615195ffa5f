using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Fer.Reporting.Model;

namespace Fer.Reporting.Rendering;

/// <summary>
/// One self-contained HTML page: inline CSS and SVG, no scripts, no external assets, so it can be mailed,
/// stored as a blob and opened offline. Every string that comes from users (dataset, container, file paths,
/// model names, failure reasons) goes through <see cref="Encode"/>.
/// </summary>
public static class HtmlReportRenderer
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string Encode(string text) => Encoder.Encode(text);

    public static string Render(DatasetReport report)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>FER report: {Encode(report.Dataset)} ({ReportFormat.Timestamp(report.CreatedAt)})</title>
            <style>{Css}</style>
            </head>
            <body>
            <header>
            <h1>Evaluation report: <span id="dataset-name">{Encode(report.Dataset)}</span></h1>
            <p class="meta">Container <b>{Encode(report.Container)}</b> &middot; model <b>{Encode(report.ModelName)}</b>
            <code title="{Encode(report.ModelSha256)}">{Encode(ReportFormat.ShortSha(report.ModelSha256))}</code>
            &middot; created {ReportFormat.Timestamp(report.CreatedAt)}</p>
            </header>
            <main>
            """);
        AppendWarnings(html, report);
        AppendSummary(html, report);

        html.Append("<section class=\"row\"><div class=\"panel\"><h2>Confusion matrix</h2>");
        html.Append("<p class=\"hint\">Rows are the true (folder) labels, columns the model's answers. Each cell shows the image count; its colour is the share of the row, so the diagonal is each class's recall.</p>");
        AppendConfusionHeatmap(html, report);
        html.Append("</div><div class=\"panel\"><h2>Per class</h2>");
        html.Append("<p class=\"hint\">Precision: how often the model is right when it says this class. Recall: how much of the class it finds. F1 combines both.</p>");
        AppendClassBars(html, report);
        html.Append("</div></section>");

        AppendClassTable(html, report);

        html.Append("<section class=\"row\"><div class=\"panel\"><h2>Accuracy trend</h2>");
        AppendTrend(html, report);
        html.Append("</div><div class=\"panel\"><h2>Confidence distribution</h2>");
        html.Append("<p class=\"hint\">Images by the model's top score. A well-calibrated model is mostly right in the high bins.</p>");
        AppendScoreDistribution(html, report);
        html.Append("</div></section>");

        if (report.Reliability.Count > 0)
        {
            html.Append("<section class=\"row\"><div class=\"panel\"><h2>Reliability</h2>");
            html.Append("<p class=\"hint\">Accuracy of the labelled images against the model's top score, per bin. A calibrated model's bars reach the diagonal: " +
                        "when it says 0.8, it is right 8 times in 10. Bars below the diagonal mean over-confidence. The expected calibration error (ECE) is the " +
                        "image-weighted mean gap.</p>");
            AppendReliability(html, report);
            html.Append("</div></section>");
        }

        AppendTopConfusions(html, report);
        AppendMistakes(html, report);
        AppendFailures(html, report);

        html.Append("""
            </main>
            <footer>Metrics are computed over scored images that have a label folder; failed and pending images are counted but not scored.
            Balanced accuracy and macro-F1 average over the classes present in the dataset.</footer>
            </body>
            </html>
            """);
        return html.ToString();
    }

    private static void AppendWarnings(StringBuilder html, DatasetReport report)
    {
        var warnings = new List<string>();
        if (report.LabelledCount == 0)
            warnings.Add("No scored image of this dataset has a label folder, so no metric can be computed.");
        if (report.PendingCount > 0)
            warnings.Add($"{ReportFormat.Count(report.PendingCount)} images were still pending when this report was made; the figures will move.");
        if (report.Models.Count > 1)
            warnings.Add("Images were scored by more than one model: " + string.Join(", ",
                report.Models.Select(m => $"{Encode(m.ModelName)} <code>{Encode(ReportFormat.ShortSha(m.ModelSha256))}</code> ({ReportFormat.Count(m.Count)})")) + ".");
        if (report.Change is { } change && change.PreviousModelSha256 != report.ModelSha256)
            warnings.Add($"The model changed since the previous report (was <code>{Encode(ReportFormat.ShortSha(change.PreviousModelSha256))}</code>).");
        foreach (var warning in warnings)
            html.Append($"<p class=\"warning\">{warning}</p>");
    }

    private static void AppendSummary(StringBuilder html, DatasetReport report)
    {
        var change = report.Change;
        html.Append("<section class=\"cards\">");
        Card(html, "accuracy", "Accuracy", ReportFormat.Percent(report.Accuracy), change is null ? "first report" : DeltaSpan(change.AccuracyDelta));
        Card(html, "balanced-accuracy", "Balanced accuracy", ReportFormat.Percent(report.BalancedAccuracy), "mean recall");
        Card(html, "macro-f1", "Macro-F1", ReportFormat.Ratio(report.MacroF1), change is null ? "" : DeltaSpan(change.MacroF1Delta));
        if (report.ExpectedCalibrationError is { } ece)
            Card(html, "ece", "Calibration error", ReportFormat.Ratio(ece), "ECE, 15 bins");
        Card(html, "scored", "Scored", ReportFormat.Count(report.ScoredCount), $"{ReportFormat.Count(report.LabelledCount)} labelled");
        Card(html, "failed", "Failed", ReportFormat.Count(report.FailedCount), "could not be scored");
        if (report.PendingCount > 0)
            Card(html, "pending", "Pending", ReportFormat.Count(report.PendingCount), "not scored yet");
        html.Append("</section>");
        if (change is not null)
            html.Append($"<p class=\"hint\">Changes are against the previous report of {ReportFormat.Timestamp(change.PreviousCreatedAt)} " +
                        $"(accuracy {ReportFormat.Percent(change.PreviousAccuracy)}, macro-F1 {ReportFormat.Ratio(change.PreviousMacroF1)}); pp = percentage points.</p>");
    }

    private static void Card(StringBuilder html, string id, string title, string value, string note) =>
        html.Append($"<div class=\"card\" id=\"{id}\"><div class=\"card-title\">{title}</div><div class=\"card-value\">{value}</div><div class=\"card-note\">{note}</div></div>");

    private static string DeltaSpan(double delta)
    {
        var css = Math.Abs(delta) < 0.0005 ? "flat" : delta > 0 ? "up" : "down";
        return $"<span class=\"delta {css}\">{ReportFormat.PointsDelta(delta)}</span> vs previous";
    }

    private static void AppendConfusionHeatmap(StringBuilder html, DatasetReport report)
    {
        const int cell = 58, left = 78, top = 84;
        var n = report.Labels.Count;
        var width = left + n * cell + 50;
        var height = top + n * cell + 10;
        html.Append($"<svg id=\"confusion\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Confusion matrix\">");
        html.Append($"<text x=\"{left + n * cell / 2}\" y=\"14\" class=\"axis-title\" text-anchor=\"middle\">predicted</text>");
        html.Append($"<text x=\"12\" y=\"{top + n * cell / 2}\" class=\"axis-title\" text-anchor=\"middle\" transform=\"rotate(-90 12 {top + n * cell / 2})\">true</text>");
        for (var i = 0; i < n; i++)
        {
            html.Append($"<text x=\"{left + i * cell + cell / 2 - 6}\" y=\"{top - 8}\" class=\"axis-label\" text-anchor=\"start\" transform=\"rotate(-35 {left + i * cell + cell / 2 - 6} {top - 8})\">{report.Labels[i]}</text>");
            html.Append($"<text x=\"{left - 6}\" y=\"{top + i * cell + cell / 2 + 4}\" class=\"axis-label\" text-anchor=\"end\">{report.Labels[i]}</text>");
        }
        for (var t = 0; t < n; t++)
        {
            for (var p = 0; p < n; p++)
            {
                var share = report.ConfusionRowNormalised[t][p];
                var count = report.Confusion[t][p];
                var x = left + p * cell;
                var y = top + t * cell;
                var ink = share > 0.5 ? "#ffffff" : "#1b1f24";
                html.Append($"<g class=\"cell\" data-true=\"{report.Labels[t]}\" data-predicted=\"{report.Labels[p]}\">");
                html.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{cell - 2}\" height=\"{cell - 2}\" rx=\"3\" fill=\"{HeatColour(share)}\"{(t == p ? " stroke=\"#1b1f24\" stroke-width=\"1.5\"" : "")}>");
                html.Append($"<title>true {report.Labels[t]}, predicted {report.Labels[p]}: {ReportFormat.Count(count)} ({ReportFormat.Percent(share)} of {report.Labels[t]})</title></rect>");
                html.Append($"<text x=\"{x + (cell - 2) / 2}\" y=\"{y + cell / 2 - 2}\" text-anchor=\"middle\" class=\"cell-count\" fill=\"{ink}\">{ReportFormat.Count(count)}</text>");
                html.Append($"<text x=\"{x + (cell - 2) / 2}\" y=\"{y + cell / 2 + 12}\" text-anchor=\"middle\" class=\"cell-share\" fill=\"{ink}\">{ReportFormat.Percent(share)}</text>");
                html.Append("</g>");
            }
        }
        html.Append("</svg>");
    }

    // White to deep blue, linear in the row share.
    private static string HeatColour(double share)
    {
        share = Math.Clamp(share, 0, 1);
        int Mix(int from, int to) => (int)Math.Round(from + (to - from) * share);
        return $"#{Mix(0xf4, 0x08):x2}{Mix(0xf7, 0x30):x2}{Mix(0xfb, 0x6b):x2}";
    }

    private static void AppendClassBars(StringBuilder html, DatasetReport report)
    {
        const int rowHeight = 54, left = 70, barWidth = 300, barHeight = 12;
        var height = report.Classes.Count * rowHeight + 30;
        var width = left + barWidth + 60;
        html.Append($"<svg id=\"class-bars\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Precision, recall and F1 per class\">");
        var series = new (string Name, string Colour, Func<ClassReport, double> Value)[]
        {
            ("precision", "#4c78a8", c => c.Precision),
            ("recall", "#f58518", c => c.Recall),
            ("F1", "#54a24b", c => c.F1),
        };
        for (var s = 0; s < series.Length; s++)
        {
            html.Append($"<rect x=\"{left + s * 100}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{series[s].Colour}\"/>");
            html.Append($"<text x=\"{left + s * 100 + 14}\" y=\"13\" class=\"legend\">{series[s].Name}</text>");
        }
        for (var i = 0; i < report.Classes.Count; i++)
        {
            var c = report.Classes[i];
            var y = 26 + i * rowHeight;
            html.Append($"<text x=\"{left - 6}\" y=\"{y + 24}\" text-anchor=\"end\" class=\"axis-label\">{c.Label}</text>");
            for (var s = 0; s < series.Length; s++)
            {
                var value = series[s].Value(c);
                var by = y + s * (barHeight + 3);
                html.Append($"<rect x=\"{left}\" y=\"{by}\" width=\"{barWidth}\" height=\"{barHeight}\" fill=\"#eef1f5\"/>");
                html.Append($"<rect x=\"{left}\" y=\"{by}\" width=\"{F(barWidth * Math.Clamp(value, 0, 1))}\" height=\"{barHeight}\" fill=\"{series[s].Colour}\"><title>{c.Label} {series[s].Name}: {ReportFormat.Ratio(value)}</title></rect>");
                html.Append($"<text x=\"{left + barWidth + 6}\" y=\"{by + barHeight - 2}\" class=\"bar-value\">{ReportFormat.Ratio(value)}</text>");
            }
        }
        html.Append("</svg>");
    }

    private static void AppendClassTable(StringBuilder html, DatasetReport report)
    {
        html.Append("<section class=\"panel\"><h2>Per-class figures</h2><table id=\"class-table\"><thead><tr><th>Class</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th><th>Predicted</th><th>Recall change</th></tr></thead><tbody>");
        foreach (var c in report.Classes)
        {
            var delta = report.Change?.RecallDeltas.FirstOrDefault(d => d.Label == c.Label)?.Delta;
            html.Append($"<tr><td>{c.Label}</td><td>{ReportFormat.Percent(c.Precision)}</td><td>{ReportFormat.Percent(c.Recall)}</td><td>{ReportFormat.Ratio(c.F1)}</td>" +
                        $"<td>{ReportFormat.Count(c.Support)}</td><td>{ReportFormat.Count(c.Predicted)}</td><td>{(delta is { } d ? DeltaSpan(d).Replace(" vs previous", "") : "")}</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void AppendTrend(StringBuilder html, DatasetReport report)
    {
        const int width = 440, height = 220, left = 44, right = 16, top = 14, bottom = 40;
        var points = report.Trend;
        html.Append($"<svg id=\"trend\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Accuracy of past reports\">");
        double X(int i) => points.Count == 1 ? left + (width - left - right) / 2.0 : left + i * (width - left - right) / (double)(points.Count - 1);
        double Y(double v) => top + (1 - Math.Clamp(v, 0, 1)) * (height - top - bottom);
        for (var g = 0; g <= 4; g++)
        {
            var v = g / 4.0;
            html.Append($"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" class=\"grid\"/>");
            html.Append($"<text x=\"{left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\" class=\"tick\">{ReportFormat.Percent(v).Replace(".0", "")}</text>");
        }
        if (points.Count > 1)
            html.Append($"<polyline class=\"trend-line\" points=\"{string.Join(' ', points.Select((p, i) => $"{F(X(i))},{F(Y(p.Accuracy))}"))}\"/>");
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            html.Append($"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(p.Accuracy))}\" r=\"4\" class=\"trend-point\"><title>{ReportFormat.Timestamp(p.CreatedAt)}: accuracy {ReportFormat.Percent(p.Accuracy)}, macro-F1 {ReportFormat.Ratio(p.MacroF1)}</title></circle>");
        }
        // Date labels at the ends only, so long histories stay legible.
        html.Append($"<text x=\"{F(X(0))}\" y=\"{height - 18}\" text-anchor=\"{(points.Count == 1 ? "middle" : "start")}\" class=\"tick\">{p0(points[0])}</text>");
        if (points.Count > 1)
            html.Append($"<text x=\"{F(X(points.Count - 1))}\" y=\"{height - 18}\" text-anchor=\"end\" class=\"tick\">{p0(points[^1])}</text>");
        html.Append($"<text x=\"{left + (width - left - right) / 2}\" y=\"{height - 3}\" text-anchor=\"middle\" class=\"tick\">{points.Count} report{(points.Count == 1 ? "" : "s")}; latest accuracy {ReportFormat.Percent(points[^1].Accuracy)}</text>");
        html.Append("</svg>");

        static string p0(TrendPoint p) => p.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static void AppendScoreDistribution(StringBuilder html, DatasetReport report)
    {
        const int width = 440, height = 220, left = 50, right = 10, top = 24, bottom = 36;
        var bins = report.ScoreDistribution;
        var max = Math.Max(1, bins.Max(b => b.Count));
        var slot = (width - left - right) / (double)bins.Count;
        double H(long count) => (double)count / max * (height - top - bottom);
        html.Append($"<svg id=\"score-distribution\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Confidence histogram\">");
        html.Append($"<rect x=\"{left}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#54a24b\"/><text x=\"{left + 14}\" y=\"13\" class=\"legend\">correct</text>");
        html.Append($"<rect x=\"{left + 80}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#e45756\"/><text x=\"{left + 94}\" y=\"13\" class=\"legend\">wrong</text>");
        html.Append($"<rect x=\"{left + 150}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#bab0ac\"/><text x=\"{left + 164}\" y=\"13\" class=\"legend\">unlabelled</text>");
        html.Append($"<text x=\"{left - 6}\" y=\"{top + 8}\" text-anchor=\"end\" class=\"tick\">{ReportFormat.Count(max)}</text>");
        html.Append($"<text x=\"{left - 6}\" y=\"{height - bottom}\" text-anchor=\"end\" class=\"tick\">0</text>");
        for (var i = 0; i < bins.Count; i++)
        {
            var b = bins[i];
            var x = left + i * slot + 2;
            var w = slot - 4;
            var baseY = (double)(height - bottom);
            foreach (var (count, colour, what) in new[] { (b.Correct, "#54a24b", "correct"), (b.Labelled - b.Correct, "#e45756", "wrong"), (b.Count - b.Labelled, "#bab0ac", "unlabelled") })
            {
                if (count <= 0) continue;
                var h = H(count);
                baseY -= h;
                html.Append($"<rect x=\"{F(x)}\" y=\"{F(baseY)}\" width=\"{F(w)}\" height=\"{F(h)}\" fill=\"{colour}\"><title>confidence {ReportFormat.BinRange(b)}: {ReportFormat.Count(count)} {what}</title></rect>");
            }
            if (i % 2 == 0)
                html.Append($"<text x=\"{F(left + i * slot)}\" y=\"{height - bottom + 14}\" class=\"tick\" text-anchor=\"middle\">{b.Lower.ToString("0.0", CultureInfo.InvariantCulture)}</text>");
        }
        html.Append($"<text x=\"{width - right}\" y=\"{height - bottom + 14}\" class=\"tick\" text-anchor=\"end\">1.0</text>");
        html.Append($"<text x=\"{left + (width - left - right) / 2}\" y=\"{height - 4}\" class=\"tick\" text-anchor=\"middle\">top score (confidence)</text>");
        html.Append("</svg>");
    }

    private static void AppendReliability(StringBuilder html, DatasetReport report)
    {
        const int width = 440, height = 260, left = 50, right = 10, top = 24, bottom = 36;
        var bins = report.Reliability;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        double X(double score) => left + score * plotWidth;
        double Y(double fraction) => top + (1 - fraction) * plotHeight;
        html.Append($"<svg id=\"reliability\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Reliability diagram\">");
        html.Append($"<rect x=\"{left}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#4c78a8\"/><text x=\"{left + 14}\" y=\"13\" class=\"legend\">accuracy in bin</text>");
        html.Append($"<rect x=\"{left + 120}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#f58518\"/><text x=\"{left + 134}\" y=\"13\" class=\"legend\">mean top score</text>");
        foreach (var bin in bins)
        {
            if (bin.Count == 0) continue;
            var x = X(bin.Lower) + 1;
            var w = X(bin.Upper) - X(bin.Lower) - 2;
            html.Append($"<rect x=\"{F(x)}\" y=\"{F(Y(bin.Accuracy))}\" width=\"{F(w)}\" height=\"{F(Y(0) - Y(bin.Accuracy))}\" fill=\"#4c78a8\">" +
                        $"<title>top score {P2(bin.Lower)}-{P2(bin.Upper)}: {ReportFormat.Count(bin.Count)} images, accuracy {ReportFormat.Percent(bin.Accuracy)}, mean score {P2(bin.MeanConfidence)}</title></rect>");
            html.Append($"<line x1=\"{F(x)}\" x2=\"{F(x + w)}\" y1=\"{F(Y(bin.MeanConfidence))}\" y2=\"{F(Y(bin.MeanConfidence))}\" stroke=\"#f58518\" stroke-width=\"2\"/>");
        }
        html.Append($"<line x1=\"{F(X(0))}\" y1=\"{F(Y(0))}\" x2=\"{F(X(1))}\" y2=\"{F(Y(1))}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>");
        foreach (var tick in new[] { 0.0, 0.5, 1.0 })
        {
            html.Append($"<text x=\"{left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\" class=\"tick\">{P2(tick)}</text>");
            html.Append($"<text x=\"{F(X(tick))}\" y=\"{height - bottom + 14}\" text-anchor=\"middle\" class=\"tick\">{P2(tick)}</text>");
        }
        html.Append($"<text x=\"{left + plotWidth / 2}\" y=\"{height - 4}\" class=\"tick\" text-anchor=\"middle\">top score (confidence)</text>");
        html.Append("</svg>");

        static string P2(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
    }

    private static void AppendTopConfusions(StringBuilder html, DatasetReport report)
    {
        if (report.TopConfusions.Count == 0)
            return;
        html.Append("<section class=\"panel\"><h2>Top confusions</h2><table id=\"top-confusions\"><thead><tr><th>True</th><th>Predicted as</th><th>Images</th><th>Share of true class</th></tr></thead><tbody>");
        foreach (var p in report.TopConfusions)
            html.Append($"<tr><td>{p.TrueLabel}</td><td>{p.PredictedLabel}</td><td>{ReportFormat.Count(p.Count)}</td><td>{ReportFormat.Percent(p.Share)}</td></tr>");
        html.Append("</tbody></table></section>");
    }

    private static void AppendMistakes(StringBuilder html, DatasetReport report)
    {
        if (report.ConfidentMistakes.Count == 0)
            return;
        html.Append("<section class=\"panel\"><h2>Most confident mistakes</h2><p class=\"hint\">Wrong answers the model was surest of: often mislabelled images, or a systematic blind spot.</p><div class=\"mistakes\" id=\"mistakes\">");
        foreach (var m in report.ConfidentMistakes)
        {
            html.Append("<figure class=\"mistake\">");
            html.Append(m.ThumbnailDataUri is { } uri && IsPngDataUri(uri)
                ? $"<img src=\"{uri}\" width=\"96\" height=\"96\" alt=\"{Encode(m.Path)}\">"
                : "<div class=\"no-thumb\">no image</div>");
            html.Append($"<figcaption><div class=\"path\" title=\"{Encode(m.Path)}\">{Encode(m.Path)}</div>" +
                        $"<div>true <b>{m.TrueLabel}</b>, predicted <b>{m.PredictedLabel}</b></div><div>confidence {ReportFormat.Percent(m.Confidence)}</div></figcaption></figure>");
        }
        html.Append("</div></section>");
    }

    private static void AppendFailures(StringBuilder html, DatasetReport report)
    {
        if (report.TopFailureReasons.Count == 0)
            return;
        html.Append("<section class=\"panel\"><h2>Why images failed</h2><table id=\"failures\"><thead><tr><th>Reason</th><th>Images</th></tr></thead><tbody>");
        foreach (var f in report.TopFailureReasons)
            html.Append($"<tr><td>{Encode(f.Reason)}</td><td>{ReportFormat.Count(f.Count)}</td></tr>");
        html.Append("</tbody></table></section>");
    }

    // Thumbnails are our own PNGs; anything else (say, from an edited JSON) is dropped rather than trusted.
    private static bool IsPngDataUri(string uri) =>
        uri.StartsWith(ThumbnailEncoder.DataUriPrefix, StringComparison.Ordinal)
        && uri.AsSpan(ThumbnailEncoder.DataUriPrefix.Length).IndexOfAnyExcept(Base64Chars) < 0;

    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f6f7f9;color:#1b1f24;line-height:1.45}
        header{background:#1f3a5f;color:#fff;padding:18px 28px}
        header h1{margin:0 0 4px;font-size:22px;font-weight:600;word-break:break-all}
        header .meta{margin:0;font-size:14px;opacity:.9}
        header code{background:rgba(255,255,255,.15);padding:1px 5px;border-radius:3px}
        main{padding:18px 28px;max-width:1180px}
        h2{font-size:17px;margin:0 0 8px}
        .cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:8px}
        .card{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:12px 16px;min-width:150px}
        .card-title{font-size:13px;color:#5a6472;text-transform:uppercase;letter-spacing:.03em}
        .card-value{font-size:28px;font-weight:600}
        .card-note{font-size:13px;color:#5a6472}
        .delta.up{color:#1a7f37;font-weight:600}.delta.down{color:#c62828;font-weight:600}.delta.flat{color:#5a6472}
        .row{display:flex;flex-wrap:wrap;gap:16px;margin:16px 0}
        .row .panel{flex:1 1 460px;margin:0}
        .panel{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:14px 18px;margin:16px 0;overflow-x:auto}
        .hint{font-size:13px;color:#5a6472;margin:2px 0 10px}
        .warning{background:#fff4e5;border:1px solid #f0b46b;border-radius:6px;padding:8px 12px;font-size:14px}
        table{border-collapse:collapse;font-size:14px;min-width:420px}
        th,td{padding:5px 12px;border-bottom:1px solid #e6e9ee;text-align:right}
        th:first-child,td:first-child{text-align:left}
        #top-confusions td:nth-child(2),#top-confusions th:nth-child(2),#failures td:first-child{text-align:left}
        th{font-weight:600;color:#3d4753;background:#f2f4f7}
        .chart{max-width:100%;height:auto;font-size:12px}
        .axis-label{font-size:12px;fill:#1b1f24}.axis-title{font-size:12px;fill:#5a6472;font-style:italic}
        .cell-count{font-size:14px;font-weight:600}.cell-share{font-size:10px}
        .legend,.tick,.bar-value{font-size:11px;fill:#3d4753}
        .grid{stroke:#e6e9ee}
        .trend-line{fill:none;stroke:#4c78a8;stroke-width:2}
        .trend-point{fill:#4c78a8}
        .mistakes{display:flex;flex-wrap:wrap;gap:12px}
        .mistake{margin:0;width:180px;background:#fafbfc;border:1px solid #e6e9ee;border-radius:6px;padding:8px;font-size:12px}
        .mistake img{image-rendering:pixelated;display:block;margin-bottom:6px;border-radius:3px}
        .no-thumb{width:96px;height:96px;background:#eef1f5;color:#8a94a3;display:flex;align-items:center;justify-content:center;margin-bottom:6px}
        .path{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
        footer{font-size:12px;color:#5a6472;padding:0 28px 24px;max-width:1180px}
        """;
}
