using System.Text.Json;
using Fer.Core.Labels;

namespace Fer.Core.Evaluation;

/// <summary>
/// The evaluation record as JSON, in the shape the model card and reports consume: fractions (not percents),
/// per-class metrics in label order, and the 7x7 confusion matrix with rows = true labels.
/// </summary>
public static class EvaluationJson
{
    public static void Write(EvaluationResult result, Stream destination)
    {
        using var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model", result.ModelName);
        json.WriteString("model_sha256", result.ModelSha256);
        if (result.Dataset is not null)
            json.WriteString("data", result.Dataset);
        json.WriteNumber("count", result.Count);
        json.WriteNumber("accuracy", result.Confusion.Accuracy);
        json.WriteNumber("balanced_accuracy", result.Confusion.BalancedAccuracy);
        json.WriteNumber("macro_f1", result.Confusion.MacroF1);
        var calibration = result.Calibration;
        json.WriteNumber("ece", calibration.ExpectedCalibrationError);

        json.WriteStartArray("per_class");
        foreach (var c in result.Confusion.PerClass())
        {
            json.WriteStartObject();
            json.WriteString("label", EmotionLabels.Name(c.Emotion));
            json.WriteNumber("precision", c.Precision);
            json.WriteNumber("recall", c.Recall);
            json.WriteNumber("f1", c.F1);
            json.WriteNumber("support", c.Support);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("confusion");
        foreach (var row in result.Confusion.ToJagged())
        {
            json.WriteStartArray();
            foreach (var count in row) json.WriteNumberValue(count);
            json.WriteEndArray();
        }
        json.WriteEndArray();

        // Reliability diagram data: per equal-width bin of the top score, how many, mean score, accuracy.
        json.WriteStartArray("calibration");
        foreach (var bin in calibration.Bins())
        {
            json.WriteStartObject();
            json.WriteNumber("lower", bin.Lower);
            json.WriteNumber("upper", bin.Upper);
            json.WriteNumber("count", bin.Count);
            json.WriteNumber("mean_confidence", bin.MeanConfidence);
            json.WriteNumber("accuracy", bin.Accuracy);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("labels");
        foreach (var name in EmotionLabels.Names) json.WriteStringValue(name);
        json.WriteEndArray();

        json.WriteNumber("failed", result.Failures.Count);
        json.WriteStartArray("failures");
        foreach (var failure in result.Failures)
        {
            json.WriteStartObject();
            json.WriteString("source", failure.Source);
            json.WriteString("reason", failure.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("ignored_files", result.IgnoredFiles.Count);
        json.WriteNumber("images_per_second", Math.Round(result.ImagesPerSecond, 1));
        json.WriteEndObject();
    }

    public static void WriteFile(EvaluationResult result, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        using var file = File.Create(path);
        Write(result, file);
    }

    public static string ToJson(EvaluationResult result)
    {
        using var buffer = new MemoryStream();
        Write(result, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
