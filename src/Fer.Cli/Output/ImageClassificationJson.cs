using System.Text.Json;
using Fer.Core.Labels;

namespace Fer.Cli.Output;

/// <summary>
/// <c>{"image", "model", "label", "confidence", "scores": {...}, "detected", "faces": [{"index", "box", "detector_confidence",
/// "label", "confidence", "scores"}]}</c>. The top-level label and scores are the largest face's (null when none was found).
/// </summary>
public static class ImageClassificationJson
{
    public static string ToJson(ImageClassification classification)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("image", classification.Image);
            json.WriteString("model", classification.Model);
            if (classification.Prediction is { } main)
                WritePrediction(json, main);
            else
            {
                json.WriteNull("label");
                json.WriteNull("confidence");
                json.WriteNull("scores");
            }
            json.WriteBoolean("detected", classification.Located.Detected);
            json.WriteNumber("width", classification.Located.Width);
            json.WriteNumber("height", classification.Located.Height);
            json.WriteStartArray("faces");
            foreach (var (face, prediction) in classification.Faces)
            {
                json.WriteStartObject();
                json.WriteNumber("index", face.Index);
                json.WriteStartObject("box");
                json.WriteNumber("x", face.Box.X);
                json.WriteNumber("y", face.Box.Y);
                json.WriteNumber("width", face.Box.Width);
                json.WriteNumber("height", face.Box.Height);
                json.WriteEndObject();
                if (face.DetectorConfidence is { } confidence)
                    json.WriteNumber("detector_confidence", confidence);
                else
                    json.WriteNull("detector_confidence");
                WritePrediction(json, prediction);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WritePrediction(Utf8JsonWriter json, EmotionPrediction prediction)
    {
        json.WriteString("label", EmotionLabels.Name(prediction.Label));
        json.WriteNumber("confidence", prediction.Confidence);
        json.WriteStartObject("scores");
        foreach (var emotion in Enum.GetValues<Emotion>())
            json.WriteNumber(EmotionLabels.Name(emotion), prediction.Scores[(int)emotion]);
        json.WriteEndObject();
    }
}
