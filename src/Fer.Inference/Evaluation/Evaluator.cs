using System.Diagnostics;
using Fer.Core.Evaluation;
using Fer.Core.Imaging;
using Fer.Inference;
using Fer.Core.Labels;
using Fer.Core.Metrics;

namespace Fer.Inference.Evaluation;

/// <summary>
/// Labelled faces -> batched <see cref="EmotionClassifier"/> runs -> confusion matrix. The same path serves
/// <c>fer eval</c>, the parity test and reports, so "C# matches training" is proven on the code users run.
/// Faces that fail to load are recorded as failures and left out of the metrics.
/// </summary>
public sealed class Evaluator
{
    public const int DefaultBatchSize = 256;

    private readonly EmotionClassifier _classifier;
    private readonly int _batchSize;

    public Evaluator(EmotionClassifier classifier, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _classifier = classifier;
        _batchSize = batchSize;
    }

    public EvaluationResult Evaluate(LabelledDataset dataset, CancellationToken cancellationToken = default) =>
        Evaluate(dataset.Faces, cancellationToken) with { Dataset = dataset.Path, IgnoredFiles = dataset.IgnoredFiles };

    public EvaluationResult Evaluate(IEnumerable<LabelledFace> faces, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var confusion = new ConfusionMatrix();
        var evaluated = new List<EvaluatedFace>();
        var failures = new List<EvaluationFailure>();
        var pixels = new float[_batchSize * FacePreprocessor.PixelCount];
        var batch = new List<LabelledFace>(_batchSize);
        long read = 0;

        foreach (var face in faces)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Add(face);
            read++;
            if (batch.Count == _batchSize)
                RunBatch(batch, read - batch.Count, pixels, confusion, evaluated, failures);
        }
        RunBatch(batch, read - batch.Count, pixels, confusion, evaluated, failures);
        stopwatch.Stop();
        return new EvaluationResult(_classifier.ModelName, _classifier.ModelSha256, null, confusion, evaluated, failures, [], stopwatch.Elapsed);
    }

    /// <param name="firstIndex">Position of the batch's first face in the dataset, as read (0-based).</param>
    private void RunBatch(List<LabelledFace> batch, long firstIndex, float[] pixels, ConfusionMatrix confusion,
        List<EvaluatedFace> evaluated, List<EvaluationFailure> failures)
    {
        if (batch.Count == 0)
            return;
        // Decoding dominates for image files, so load in parallel; failed faces keep their slot until compaction.
        var reasons = new string?[batch.Count];
        Parallel.For(0, batch.Count, i =>
        {
            try
            {
                batch[i].LoadInto(pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
            }
            catch (InvalidImageException ex)
            {
                reasons[i] = ex.Reason;
            }
        });

        var loaded = new List<LabelledFace>(batch.Count);
        var loadedIndexes = new List<long>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (reasons[i] is { } reason)
            {
                failures.Add(new EvaluationFailure(batch[i].Source, reason));
                continue;
            }
            if (loaded.Count != i)
                Array.Copy(pixels, i * FacePreprocessor.PixelCount, pixels, loaded.Count * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount);
            loaded.Add(batch[i]);
            loadedIndexes.Add(firstIndex + i);
        }

        if (loaded.Count > 0)
        {
            var scores = _classifier.ClassifyRaw(pixels, loaded.Count);
            for (var i = 0; i < loaded.Count; i++)
            {
                var prediction = new EmotionPrediction(scores.AsSpan(i * EmotionLabels.Count, EmotionLabels.Count).ToArray());
                confusion.Add(loaded[i].Truth, prediction.Label);
                evaluated.Add(new EvaluatedFace(loadedIndexes[i], loaded[i].Source, loaded[i].Truth, prediction.Label, prediction.Scores));
            }
        }
        batch.Clear();
    }
}
