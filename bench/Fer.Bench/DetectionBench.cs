using System.Diagnostics;
using System.Globalization;
using Fer.Inference.Faces;
using Fer.Core.Imaging;
using SkiaSharp;

namespace Fer.Bench;

/// <summary>
/// <c>fer-bench --detection</c>: photos/s of the photo path (decode + Haar detection + square cuts + 48x48 preprocessing,
/// no inference) on composed photos, and crops/s of <see cref="FaceLocator"/> against bare <see cref="FacePreprocessor"/>,
/// which must stay equal: the crop path does not touch the detector. No services needed.
/// </summary>
public static class DetectionBench
{
    public sealed record Row(string Name, double PerSecond, string Note);

    public static List<Row> Run(BenchImages images, string repoRoot, int photoWidth, int photoHeight, int facesPerPhoto, TimeSpan measureFor)
    {
        var options = new FaceOptions { CascadePath = Path.Combine(repoRoot, FaceOptions.DefaultCascadePath) };
        using var locator = new FaceLocator(options);
        if (locator.DetectorUnavailableReason is { } reason)
            throw new InvalidOperationException(reason);

        var photos = Enumerable.Range(0, 16).Select(i => Compose(images, i * facesPerPhoto, photoWidth, photoHeight, facesPerPhoto)).ToList();
        var rows = new List<Row>();
        var faces = 0L;
        var photosPerSecond = Measure(measureFor, i => faces += locator.Locate(photos[i % photos.Count]).Faces.Count, out var done);
        rows.Add(new Row($"photos, one thread ({photoWidth}x{photoHeight} JPEG, {facesPerPhoto} faces pasted)", photosPerSecond,
            string.Create(CultureInfo.InvariantCulture, $"{(double)faces / done:0.00} faces found per photo")));

        var threads = Environment.ProcessorCount;
        var total = 0L;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            for (var i = thread; watch.Elapsed < measureFor; i += threads)
            {
                locator.Locate(photos[i % photos.Count]);
                Interlocked.Increment(ref total);
            }
        });
        rows.Add(new Row($"photos, {threads} threads", total / watch.Elapsed.TotalSeconds, "the worker decodes a batch in parallel"));

        var pixels = new float[FacePreprocessor.PixelCount];
        var bare = Measure(measureFor, i => FacePreprocessor.Preprocess(images.Png(i), pixels), out _);
        var viaLocator = Measure(measureFor, i => locator.Locate(images.Png(i)), out _);
        rows.Add(new Row("crops 48x48 PNG, FacePreprocessor, one thread", bare, "the path before photos"));
        rows.Add(new Row("crops 48x48 PNG, FaceLocator, one thread", viaLocator,
            string.Create(CultureInfo.InvariantCulture, $"{viaLocator / bare:0.00} x the path before photos")));
        return rows;
    }

    private static double Measure(TimeSpan measureFor, Action<int> work, out long done)
    {
        work(0); // warm-up: loads the cascade, JITs the path
        done = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < measureFor || done < 5)
            work((int)done++);
        return done / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Fixture faces enlarged to a fifth of the photo's height, side by side on a gradient, JPEG quality 90.</summary>
    private static byte[] Compose(BenchImages images, int first, int width, int height, int count)
    {
        var side = height / 5;
        var step = width / (count + 1);
        return PhotoCanvas.Render(width, height, canvas =>
        {
            for (var i = 0; i < count; i++)
            {
                using var face = SKImage.FromEncodedData(images.Png(first + i));
                var x = step * (i + 1) - side / 2;
                var y = height / 3 + (i % 2) * side / 2;
                canvas.DrawImage(face, new SKRect(x, y, x + side, y + side), PhotoCanvas.FaceSampling);
            }
        }, SKEncodedImageFormat.Jpeg, 90);
    }
}
