namespace Fer.Core.Labels;

/// <summary>Label names as users write them: canonical names plus the common synonyms of other datasets.</summary>
public static class EmotionLabels
{
    public const int Count = 7;

    /// <summary>Canonical lower-case names in model output order.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    private static readonly Dictionary<string, Emotion> BySynonym = new(StringComparer.OrdinalIgnoreCase)
    {
        ["angry"] = Emotion.Angry, ["anger"] = Emotion.Angry, ["mad"] = Emotion.Angry,
        ["disgust"] = Emotion.Disgust, ["disgusted"] = Emotion.Disgust,
        ["fear"] = Emotion.Fear, ["fearful"] = Emotion.Fear, ["afraid"] = Emotion.Fear, ["scared"] = Emotion.Fear,
        ["happy"] = Emotion.Happy, ["happiness"] = Emotion.Happy, ["joy"] = Emotion.Happy,
        ["sad"] = Emotion.Sad, ["sadness"] = Emotion.Sad,
        ["surprise"] = Emotion.Surprise, ["surprised"] = Emotion.Surprise,
        ["neutral"] = Emotion.Neutral, ["calm"] = Emotion.Neutral,
    };

    public static string Name(Emotion emotion) => Names[(int)emotion];

    /// <summary>Accepts canonical names, synonyms (any case) and the FER2013 class digits 0-6.</summary>
    public static bool TryParse(string? text, out Emotion emotion)
    {
        emotion = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var trimmed = text.Trim();
        if (BySynonym.TryGetValue(trimmed, out emotion))
            return true;
        if (trimmed.Length == 1 && trimmed[0] is >= '0' and <= '6')
        {
            emotion = (Emotion)(trimmed[0] - '0');
            return true;
        }
        return false;
    }
}
