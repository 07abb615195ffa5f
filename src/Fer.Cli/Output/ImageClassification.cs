using Fer.Inference.Faces;

namespace Fer.Cli.Output;

/// <summary>
/// What <c>fer classify</c> reports for one image: every face (a crop has one, its box the whole image; a photo
/// has what the detector found, largest first, possibly none) with its scores.
/// </summary>
public sealed record ImageClassification(string Image, string Model, LocatedImage Located, IReadOnlyList<EmotionPrediction> Predictions)
{
    /// <summary>The largest face's prediction (the only one of a crop); null when a photo shows no face.</summary>
    public EmotionPrediction? Prediction => Predictions.Count > 0 ? Predictions[0] : null;

    public IEnumerable<(LocatedFace Face, EmotionPrediction Prediction)> Faces => Located.Faces.Zip(Predictions);
}
