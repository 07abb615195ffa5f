using System.Globalization;

namespace Fer.Tests.Labels;

public class EmotionLabelsTests
{
    [Theory]
    [InlineData("angry", Emotion.Angry)]
    [InlineData("ANGER", Emotion.Angry)]
    [InlineData("Disgusted", Emotion.Disgust)]
    [InlineData("scared", Emotion.Fear)]
    [InlineData(" happiness ", Emotion.Happy)]
    [InlineData("Sadness", Emotion.Sad)]
    [InlineData("surprised", Emotion.Surprise)]
    [InlineData("calm", Emotion.Neutral)]
    public void Parses_names_and_synonyms_in_any_case(string text, Emotion expected) => AssertParses(text, expected);

    [Theory]
    [InlineData(0, Emotion.Angry)]
    [InlineData(1, Emotion.Disgust)]
    [InlineData(3, Emotion.Happy)]
    [InlineData(6, Emotion.Neutral)]
    public void Parses_fer2013_class_digits(int digit, Emotion expected) =>
        AssertParses(digit.ToString(CultureInfo.InvariantCulture), expected);

    private static void AssertParses(string text, Emotion expected)
    {
        Assert.True(EmotionLabels.TryParse(text, out var emotion));
        Assert.Equal(expected, emotion);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("7")]
    [InlineData("-1")]
    [InlineData("10")]
    [InlineData("contempt")]
    [InlineData("happyy")]
    public void Rejects_unknown_labels(string? text) => Assert.False(EmotionLabels.TryParse(text, out _));

    [Fact]
    public void Names_follow_model_output_order()
    {
        Assert.Equal(7, EmotionLabels.Names.Count);
        foreach (var emotion in Enum.GetValues<Emotion>())
        {
            Assert.True(EmotionLabels.TryParse(EmotionLabels.Name(emotion), out var parsed));
            Assert.Equal(emotion, parsed);
        }
    }
}
