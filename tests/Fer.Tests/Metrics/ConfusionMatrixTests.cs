using Fer.Core.Metrics;

namespace Fer.Tests.Metrics;

public class ConfusionMatrixTests
{
    // angry: 3 right, 1 called sad; sad: 2 right, 2 called angry; happy: 4 right. Other classes absent.
    private static ConfusionMatrix Example()
    {
        var m = new ConfusionMatrix();
        m.Add(Emotion.Angry, Emotion.Angry, 3);
        m.Add(Emotion.Angry, Emotion.Sad);
        m.Add(Emotion.Sad, Emotion.Sad, 2);
        m.Add(Emotion.Sad, Emotion.Angry, 2);
        m.Add(Emotion.Happy, Emotion.Happy, 4);
        return m;
    }

    [Fact]
    public void Totals_and_accuracy()
    {
        var m = Example();
        Assert.Equal(12, m.Total);
        Assert.Equal(9, m.Correct);
        Assert.Equal(0.75, m.Accuracy, 12);
    }

    [Fact]
    public void Per_class_precision_recall_f1_match_hand_computation()
    {
        var perClass = Example().PerClass().ToDictionary(c => c.Emotion);
        // angry: TP 3, predicted 5, support 4
        Assert.Equal(0.6, perClass[Emotion.Angry].Precision, 12);
        Assert.Equal(0.75, perClass[Emotion.Angry].Recall, 12);
        Assert.Equal(2 * 0.6 * 0.75 / 1.35, perClass[Emotion.Angry].F1, 12);
        Assert.Equal(4, perClass[Emotion.Angry].Support);
        // sad: TP 2, predicted 3, support 4 -> F1 = 4/7
        Assert.Equal(2.0 / 3, perClass[Emotion.Sad].Precision, 12);
        Assert.Equal(0.5, perClass[Emotion.Sad].Recall, 12);
        Assert.Equal(4.0 / 7, perClass[Emotion.Sad].F1, 12);
        Assert.Equal(1.0, perClass[Emotion.Happy].F1, 12);
        // absent class: all zero, no division by zero
        Assert.Equal(0, perClass[Emotion.Fear].Support);
        Assert.Equal(0, perClass[Emotion.Fear].Precision);
        Assert.Equal(0, perClass[Emotion.Fear].F1);
    }

    [Fact]
    public void Balanced_accuracy_and_macro_f1_average_only_present_classes()
    {
        var m = Example();
        Assert.Equal((0.75 + 0.5 + 1.0) / 3, m.BalancedAccuracy, 12);
        Assert.Equal((2.0 / 3 + 4.0 / 7 + 1.0) / 3, m.MacroF1, 12);
    }

    [Fact]
    public void Rows_are_truth_and_columns_are_predictions()
    {
        var rows = Example().ToJagged();
        Assert.Equal(7, rows.Length);
        Assert.Equal([3L, 0, 0, 0, 1, 0, 0], rows[(int)Emotion.Angry]);
        Assert.Equal([2L, 0, 0, 0, 2, 0, 0], rows[(int)Emotion.Sad]);
        Assert.Equal(5, Example().PredictedCount(Emotion.Angry));
    }

    [Fact]
    public void Empty_matrix_has_zero_metrics() =>
        Assert.Equal((0.0, 0.0, 0.0), (new ConfusionMatrix().Accuracy, new ConfusionMatrix().BalancedAccuracy, new ConfusionMatrix().MacroF1));
}
