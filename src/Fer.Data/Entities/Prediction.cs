namespace Fer.Data.Entities;

/// <summary>
/// The model's scores for one face of an image: one column per emotion so SQL can query them directly.
/// Keyed by (image, face index); faces are numbered largest first, so face 0 is the image's main face
/// (a crop has exactly one, its box the whole image).
/// </summary>
public class Prediction
{
    public long ImageId { get; set; }
    public ImageRecord? Image { get; set; }

    /// <summary>0 for the largest face (the only one of a crop), then by decreasing box area.</summary>
    public short FaceIndex { get; set; }

    /// <summary>The face's box in the original image's pixels (the whole image for a crop).</summary>
    public PixelBox Box { get; set; } = new(0, 0, 0, 0);

    public required EmotionScores Scores { get; set; }

    /// <summary>Arg-max label in FER2013 order (0 angry .. 6 neutral).</summary>
    public short PredictedLabel { get; set; }
    public float Confidence { get; set; }

    /// <summary>The detector's score for the face: BlazeFace's (default) is a probability in 0-1, Haar's the cascade's last-stage weight (higher is surer); null for a crop.</summary>
    public float? DetectorConfidence { get; set; }

    public required string ModelName { get; set; }
    public required string ModelSha256 { get; set; }
    public required string WorkerId { get; set; }

    public StageTimings Timings { get; set; } = new(0, 0, 0, 0);
    public int BatchSize { get; set; }
    public DateTimeOffset ScoredAt { get; set; }
}
