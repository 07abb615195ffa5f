namespace Fer.Data.Entities;

/// <summary>
/// The model's seven softmax scores of one face, in FER2013 order; stored as one column per emotion (angry ..
/// neutral) so SQL can filter and sort on them directly.
/// </summary>
public sealed record EmotionScores(float Angry, float Disgust, float Fear, float Happy, float Sad, float Surprise, float Neutral)
{
    /// <summary>The seven scores from a vector in FER2013 order (angry .. neutral).</summary>
    public static EmotionScores From(IReadOnlyList<float> scores) =>
        new(scores[0], scores[1], scores[2], scores[3], scores[4], scores[5], scores[6]);

    /// <summary>The seven scores as a vector in FER2013 order, the inverse of <see cref="From"/>.</summary>
    public float[] ToArray() => [Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral];
}
