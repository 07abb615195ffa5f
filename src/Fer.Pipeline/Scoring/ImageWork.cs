using Fer.Contracts;
using Fer.Inference.Faces;
using Fer.Inference;

namespace Fer.Pipeline.Scoring;

/// <summary>One image on its way through <see cref="BatchScorer"/>'s stages: what each stage found and how long it took.</summary>
public sealed class ImageWork(ScoreImage message)
{
    public ScoreImage Message { get; } = message;
    public long ImageId => Message.ImageId;

    public byte[]? Bytes { get; set; }
    public bool FolderIsCrops { get; set; }
    public LocatedImage? Located { get; set; }
    public EmotionPrediction[] Predictions { get; set; } = [];

    /// <summary>The permanent reason this image cannot be scored; once set, later stages pass it by.</summary>
    public string? Failure { get; set; }
    public bool Failed => Failure is not null;

    public float DownloadMs { get; set; }
    public float DecodeMs { get; set; }
    public float DetectMs { get; set; }
}
