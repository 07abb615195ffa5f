using System.Text.Json;
using Fer.Core.Labels;

namespace Fer.Cli.Output;

/// <summary><c>{"image", "model", "label", "confidence", "scores": {"angry": ..., ...}}</c>.</summary>
public static class ImageClassificationJson
{
    public static string ToJson(ImageClassification classification)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var prediction = classification.Prediction;
            json.WriteStartObject();
            json.WriteString("image", classification.Image);
            json.WriteString("model", classification.Model);
            json.WriteString("label", EmotionLabels.Name(prediction.Label));
            json.WriteNumber("confidence", prediction.Confidence);
            json.WriteStartObject("scores");
            foreach (var emotion in Enum.GetValues<Emotion>())
                json.WriteNumber(EmotionLabels.Name(emotion), prediction.Scores[(int)emotion]);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
