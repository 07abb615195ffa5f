namespace Fer.Data.Entities;

/// <summary>The model's scores for one image: one column per emotion so SQL can query them directly.</summary>
public class Prediction
{
    public long ImageId { get; set; }
    public ImageRecord? Image { get; set; }

    public float Angry { get; set; }
    public float Disgust { get; set; }
    public float Fear { get; set; }
    public float Happy { get; set; }
    public float Sad { get; set; }
    public float Surprise { get; set; }
    public float Neutral { get; set; }

    /// <summary>Arg-max label in FER2013 order (0 angry .. 6 neutral).</summary>
    public short PredictedLabel { get; set; }
    public float Confidence { get; set; }

    public required string ModelName { get; set; }
    public required string ModelSha256 { get; set; }
    public required string WorkerId { get; set; }

    public float DownloadMs { get; set; }
    public float DecodeMs { get; set; }
    public float InferenceMs { get; set; }
    public int BatchSize { get; set; }
    public DateTimeOffset ScoredAt { get; set; }
}
