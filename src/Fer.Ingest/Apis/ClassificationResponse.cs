using System.Text.Json.Serialization;
using Fer.Inference.Faces;
using Fer.Inference;
using Fer.Core.Labels;

namespace Fer.Ingest.Apis;

/// <summary>
/// JSON of POST /classify: {"label","confidence","scores":{name:value},"detected","faces":[...]}. The top-level label and
/// scores are the largest face's (for a crop, the only one) so clients written before photos keep working; a photo
/// without a face has them null and an empty "faces".
/// </summary>
public sealed record ClassificationResponse(
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("confidence")] float? Confidence,
    [property: JsonPropertyName("scores")] IReadOnlyDictionary<string, float>? Scores,
    [property: JsonPropertyName("detected")] bool Detected,
    [property: JsonPropertyName("faces")] IReadOnlyList<FaceClassification> Faces)
{
    public static ClassificationResponse From(LocatedImage image, IReadOnlyList<EmotionPrediction> predictions)
    {
        var faces = image.Faces.Select((face, i) => FaceClassification.From(face, predictions[i])).ToList();
        var main = faces.FirstOrDefault();
        return new ClassificationResponse(main?.Label, main?.Confidence, main?.Scores, image.Detected, faces);
    }

    public static IReadOnlyDictionary<string, float> ScoresOf(EmotionPrediction prediction) =>
        EmotionLabels.Names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => prediction.Scores[x.i]);
}

/// <summary>One face: its box in the image's pixels, the detector's score (null for a crop) and the model's scores.</summary>
public sealed record FaceClassification(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("box")] FaceBoxJson Box,
    [property: JsonPropertyName("detector_confidence")] float? DetectorConfidence,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("confidence")] float Confidence,
    [property: JsonPropertyName("scores")] IReadOnlyDictionary<string, float> Scores)
{
    public static FaceClassification From(LocatedFace face, EmotionPrediction prediction) => new(
        face.Index, new FaceBoxJson(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height), face.DetectorConfidence,
        EmotionLabels.Name(prediction.Label), prediction.Confidence, ClassificationResponse.ScoresOf(prediction));
}

public sealed record FaceBoxJson(
    [property: JsonPropertyName("x")] int X,
    [property: JsonPropertyName("y")] int Y,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height);
