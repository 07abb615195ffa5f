using System.Text.Json.Serialization;
using Fer.Core.Inference;
using Fer.Core.Labels;

namespace Fer.Pipeline.Classification;

/// <summary>JSON of POST /classify: {"label","confidence","scores":{name:value}}.</summary>
public sealed record ClassificationResponse(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("confidence")] float Confidence,
    [property: JsonPropertyName("scores")] IReadOnlyDictionary<string, float> Scores)
{
    public static ClassificationResponse From(EmotionPrediction prediction) => new(
        EmotionLabels.Name(prediction.Label),
        prediction.Confidence,
        EmotionLabels.Names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => prediction.Scores[x.i]));
}
