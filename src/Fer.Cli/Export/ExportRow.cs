using Fer.Core.Labels;

namespace Fer.Cli.Export;

/// <summary>
/// One face of one scored image, as every export format writes it. Column names are the database's snake_case
/// names, so a CSV, a JSON line and a SQL query over <c>predictions</c> read alike.
/// </summary>
public sealed record ExportRow(
    string Path,
    int FaceIndex,
    int BoxX,
    int BoxY,
    int BoxWidth,
    int BoxHeight,
    short PredictedLabel,
    float Confidence,
    float Angry,
    float Disgust,
    float Fear,
    float Happy,
    float Sad,
    float Surprise,
    float Neutral,
    DateTimeOffset ScoredAt,
    string ModelName,
    string ModelSha256)
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "path", "face_index", "box_x", "box_y", "box_width", "box_height", "label", "confidence",
        "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral", "scored_at", "model_name", "model_sha256",
    ];

    /// <summary>ISO-8601 in UTC with milliseconds: sorts as text and parses everywhere (the database keeps microseconds).</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public string Label => EmotionLabels.Name((Emotion)PredictedLabel);

    /// <summary>Score <paramref name="emotion"/> of the seven in FER2013 order (angry .. neutral), matching <see cref="EmotionLabels.Names"/>.</summary>
    public float Score(int emotion) => emotion switch
    {
        0 => Angry, 1 => Disgust, 2 => Fear, 3 => Happy, 4 => Sad, 5 => Surprise, 6 => Neutral,
        _ => throw new ArgumentOutOfRangeException(nameof(emotion)),
    };

    public const int ScoreCount = 7;

    public string ScoredAtText => ScoredAt.UtcDateTime.ToString(TimeFormat, System.Globalization.CultureInfo.InvariantCulture);
}
