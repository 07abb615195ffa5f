using System.Diagnostics;
using Fer.Core.Imaging;
using Fer.Inference;

namespace Fer.Bench;

/// <summary>The ceilings: ONNX Runtime on ready tensors (per batch size), and decode + preprocess of PNG bytes.</summary>
public static class InMemoryBenches
{
    public sealed record BatchRate(int BatchSize, double ImagesPerSecond);

    /// <summary>Images/s of <see cref="EmotionClassifier.ClassifyRaw"/> for each batch size, after a warm-up run.</summary>
    public static List<BatchRate> Bare(EmotionClassifier classifier, BenchImages images, int[] batchSizes, TimeSpan measureFor)
    {
        var rates = new List<BatchRate>();
        foreach (var batch in batchSizes)
        {
            var pixels = images.Tensor(batch);
            classifier.ClassifyRaw(pixels, batch); // warm-up: first runs allocate the arena for this shape
            var done = 0L;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < measureFor || done < 2 * batch)
            {
                classifier.ClassifyRaw(pixels, batch);
                done += batch;
            }
            rates.Add(new BatchRate(batch, done / watch.Elapsed.TotalSeconds));
        }
        return rates;
    }

    /// <summary>
    /// Images/s of <paramref name="streams"/> threads each classifying batches of <paramref name="batch"/> at once on one
    /// session: the layout the worker uses (concurrent half-width runs), so the ceiling covers it too.
    /// </summary>
    public static double BareConcurrent(EmotionClassifier classifier, BenchImages images, int batch, int streams, TimeSpan measureFor)
    {
        var pixels = images.Tensor(batch);
        classifier.ClassifyRaw(pixels, batch);
        var done = 0L;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, streams, new ParallelOptions { MaxDegreeOfParallelism = streams }, _ =>
        {
            var mine = (float[])pixels.Clone();
            while (watch.Elapsed < measureFor)
            {
                classifier.ClassifyRaw(mine, batch);
                Interlocked.Add(ref done, batch);
            }
        });
        return done / watch.Elapsed.TotalSeconds;
    }

    /// <summary>PNG bytes in memory -> [N,1,48,48] floats with <see cref="FacePreprocessor"/>, on <paramref name="threads"/> threads.</summary>
    public static double Decode(BenchImages images, int threads, TimeSpan measureFor)
    {
        const int chunk = 64;
        var buffers = Enumerable.Range(0, threads).Select(_ => new float[chunk * FacePreprocessor.PixelCount]).ToArray();
        void DecodeChunk(int thread, int start)
        {
            for (var i = 0; i < chunk; i++)
                FacePreprocessor.Preprocess(images.Png(start + i), buffers[thread].AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
        }
        DecodeChunk(0, 0);
        var total = 0L;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            var start = thread * chunk;
            while (watch.Elapsed < measureFor)
            {
                DecodeChunk(thread, start);
                start += chunk * threads;
                Interlocked.Add(ref total, chunk);
            }
        });
        return total / watch.Elapsed.TotalSeconds;
    }
}
