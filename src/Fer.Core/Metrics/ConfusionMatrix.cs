using Fer.Core.Labels;

namespace Fer.Core.Metrics;

/// <summary>7x7 counts: rows are true labels, columns are predictions.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts = new long[EmotionLabels.Count, EmotionLabels.Count];

    public ConfusionMatrix() { }

    public ConfusionMatrix(long[,] counts)
    {
        if (counts.GetLength(0) != EmotionLabels.Count || counts.GetLength(1) != EmotionLabels.Count)
            throw new ArgumentException("confusion matrix must be 7x7");
        Array.Copy(counts, _counts, counts.Length);
    }

    public void Add(Emotion truth, Emotion predicted, long count = 1) => _counts[(int)truth, (int)predicted] += count;

    public long this[Emotion truth, Emotion predicted] => _counts[(int)truth, (int)predicted];

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var c in _counts) total += c;
            return total;
        }
    }

    public long Correct
    {
        get
        {
            long correct = 0;
            for (var i = 0; i < EmotionLabels.Count; i++) correct += _counts[i, i];
            return correct;
        }
    }

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    public long Support(Emotion truth) => Row(truth).Sum();

    public long PredictedCount(Emotion predicted)
    {
        long sum = 0;
        for (var t = 0; t < EmotionLabels.Count; t++) sum += _counts[t, (int)predicted];
        return sum;
    }

    public long[] Row(Emotion truth) => Enumerable.Range(0, EmotionLabels.Count).Select(p => _counts[(int)truth, p]).ToArray();

    public long[][] ToJagged() => Enumerable.Range(0, EmotionLabels.Count).Select(t => Row((Emotion)t)).ToArray();

    public IReadOnlyList<ClassMetrics> PerClass() =>
        Enum.GetValues<Emotion>().Select(e =>
        {
            var tp = this[e, e];
            var support = Support(e);
            var predicted = PredictedCount(e);
            var precision = predicted == 0 ? 0 : (double)tp / predicted;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new ClassMetrics(e, precision, recall, f1, support);
        }).ToList();

    /// <summary>Mean recall over classes that occur (robust to FER2013's rare disgust class).</summary>
    public double BalancedAccuracy
    {
        get
        {
            var present = PerClass().Where(c => c.Support > 0).ToList();
            return present.Count == 0 ? 0 : present.Average(c => c.Recall);
        }
    }

    public double MacroF1
    {
        get
        {
            var present = PerClass().Where(c => c.Support > 0).ToList();
            return present.Count == 0 ? 0 : present.Average(c => c.F1);
        }
    }
}
