using System.Text.Json;
using Fer.Core.Labels;
using Fer.Core.Metrics;

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
        WriteHeadline(json, result);
        WriteObjects(json, "per_class", result.Confusion.PerClass(), WriteClassMetrics);
        WriteConfusion(json, result.Confusion.ToJagged());
        // Reliability diagram data: per equal-width bin of the top score, how many, mean score, accuracy.
        WriteObjects(json, "calibration", result.Calibration.Bins(), WriteCalibrationBin);

        json.WriteStartArray("labels");
        foreach (var name in EmotionLabels.Names) json.WriteStringValue(name);
        json.WriteEndArray();

        json.WriteNumber("failed", result.Failures.Count);
        WriteObjects(json, "failures", result.Failures, (writer, failure) =>
        {
            writer.WriteString("source", failure.Source);
            writer.WriteString("reason", failure.Reason);
        });
        json.WriteNumber("ignored_files", result.IgnoredFiles.Count);
        json.WriteNumber("images_per_second", Math.Round(result.ImagesPerSecond, 1));
        json.WriteEndObject();
    }

    /// <summary>The model, the data and the single-number metrics, first so a reader sees them without scrolling.</summary>
    private static void WriteHeadline(Utf8JsonWriter json, EvaluationResult result)
    {
        json.WriteString("model", result.ModelName);
        json.WriteString("model_sha256", result.ModelSha256);
        if (result.Dataset is not null)
            json.WriteString("data", result.Dataset);
        json.WriteNumber("count", result.Count);
        json.WriteNumber("accuracy", result.Confusion.Accuracy);
        json.WriteNumber("balanced_accuracy", result.Confusion.BalancedAccuracy);
        json.WriteNumber("macro_f1", result.Confusion.MacroF1);
        json.WriteNumber("ece", result.Calibration.ExpectedCalibrationError);
    }

    /// <summary>An array named <paramref name="name"/> of one object per item, each filled by <paramref name="writeFields"/>.</summary>
    private static void WriteObjects<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStartObject();
            writeFields(json, item);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteClassMetrics(Utf8JsonWriter json, ClassMetrics c)
    {
        json.WriteString("label", EmotionLabels.Name(c.Emotion));
        json.WriteNumber("precision", c.Precision);
        json.WriteNumber("recall", c.Recall);
        json.WriteNumber("f1", c.F1);
        json.WriteNumber("support", c.Support);
    }

    private static void WriteCalibrationBin(Utf8JsonWriter json, CalibrationBin bin)
    {
        json.WriteNumber("lower", bin.Lower);
        json.WriteNumber("upper", bin.Upper);
        json.WriteNumber("count", bin.Count);
        json.WriteNumber("mean_confidence", bin.MeanConfidence);
        json.WriteNumber("accuracy", bin.Accuracy);
    }

    private static void WriteConfusion(Utf8JsonWriter json, long[][] rows)
    {
        json.WriteStartArray("confusion");
        foreach (var row in rows)
        {
            json.WriteStartArray();
            foreach (var count in row) json.WriteNumberValue(count);
            json.WriteEndArray();
        }
        json.WriteEndArray();
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
