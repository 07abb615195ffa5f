using Fer.Core.Labels;

namespace Fer.Inference;

/// <summary>The model's seven probabilities for one face, in <see cref="Emotion"/> order.</summary>
public sealed record EmotionPrediction(float[] Scores)
{
    public Emotion Label { get; } = (Emotion)ArgMax(Scores);
    public float Confidence => Scores[(int)Label];

    private static int ArgMax(float[] scores)
    {
        if (scores.Length != EmotionLabels.Count)
            throw new ArgumentException($"expected {EmotionLabels.Count} scores, got {scores.Length}");
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }
}
