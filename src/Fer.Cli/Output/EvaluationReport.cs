using System.Globalization;
using Fer.Core.Evaluation;
using Fer.Core.Labels;

namespace Fer.Cli.Output;

/// <summary>The human-readable side of <c>fer eval</c>: summary, per-class table, confusion matrix, failures.</summary>
public static class EvaluationReport
{
    private const int MaxFailuresListed = 50;

    public static void Render(IAnsiConsole console, EvaluationResult result, LabelledDataset dataset, string executionProvider)
    {
        var confusion = result.Confusion;
        console.WriteLine($"Model: {result.ModelName} (sha256 {result.ModelSha256[..12]}..., {executionProvider})");
        console.WriteLine($"Data:  {dataset.Path} ({dataset.Kind})");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Count: {result.Count}   Accuracy: {confusion.Accuracy * 100:F2}%   Balanced accuracy: {confusion.BalancedAccuracy * 100:F2}%   Macro-F1: {confusion.MacroF1:F4}"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Calibration: ECE {result.Calibration.ExpectedCalibrationError:F4} ({result.Calibration.BinCount} equal-width bins of the top score)"));

        var perClass = new Table().Title("Per class");
        perClass.AddColumn("label");
        foreach (var header in new[] { "precision", "recall", "F1", "support" })
            perClass.AddColumn(new TableColumn(header).RightAligned());
        foreach (var c in confusion.PerClass())
            perClass.AddRow(EmotionLabels.Name(c.Emotion), Fraction(c.Precision), Fraction(c.Recall), Fraction(c.F1),
                c.Support.ToString(CultureInfo.InvariantCulture));
        console.Write(perClass);

        // Three-letter headers keep the 8-column matrix inside an 80-column terminal.
        var matrix = new Table().Title("Confusion (rows: true, columns: predicted)");
        matrix.AddColumn("true");
        foreach (var name in EmotionLabels.Names)
            matrix.AddColumn(new TableColumn(name[..3]).RightAligned());
        foreach (var truth in Enum.GetValues<Emotion>())
            matrix.AddRow([EmotionLabels.Name(truth), .. confusion.Row(truth).Select(n => n.ToString(CultureInfo.InvariantCulture))]);
        console.Write(matrix);

        if (result.Failures.Count > 0)
        {
            console.WriteLine($"{result.Failures.Count} image(s) could not be decoded and were excluded from the metrics:");
            foreach (var failure in result.Failures.Take(MaxFailuresListed))
                console.WriteLine($"  {failure.Source}: {failure.Reason}");
            if (result.Failures.Count > MaxFailuresListed)
                console.WriteLine($"  ... and {result.Failures.Count - MaxFailuresListed} more (all are listed in the --json output)");
        }
        if (result.IgnoredFiles.Count > 0)
            console.WriteLine($"{result.IgnoredFiles.Count} file(s) ignored: not an image extension, not inside a label folder, or a symbolic link (not followed)");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Faces.Count + result.Failures.Count} images in {result.Elapsed.TotalSeconds:F2} s: {result.ImagesPerSecond:F0} images/s"));
    }

    private static string Fraction(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
