using System.Diagnostics;
using System.Globalization;
using Fer.Inference.Faces;
using Fer.Core.Imaging;
using Fer.Inference;
using SkiaSharp;

namespace Fer.Bench;

/// <summary>
/// <c>fer-bench --faces</c>: the detectors on the hand-labelled real photos of tests/fixtures/face-photos (recall and
/// precision at IoU >= 0.3, photos/s and ms per photo, one thread, photos decoded beforehand), BlazeFace's
/// precision/recall curve over its score threshold, and what eye-line alignment does to emotion accuracy on FER2013
/// PublicTest faces pasted into photos upright and tilted. No services needed.
/// </summary>
public static class FaceSetBench
{
    public static void Run(string repoRoot, BenchImages faces, TimeSpan measureFor, bool quick, TextWriter output)
    {
        var folder = Path.Combine(repoRoot, "tests", "fixtures", "face-photos");
        var photos = LabelledFacePhotos.Load(folder);
        var decoded = photos.Select(p => FacePreprocessor.DecodePhoto(File.ReadAllBytes(p.Path))).ToList();
        var megapixels = decoded.Sum(d => (double)d.Width * d.Height) / 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{photos.Count} photos ({megapixels:0.0} MP in all), {photos.Sum(p => p.Faces.Count)} hand-boxed faces, {Environment.ProcessorCount} CPUs"));
        output.WriteLine();
        output.WriteLine("| detector | recall | precision | false faces | faces on no-face photos | photos/s | ms per photo (mean) |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var kind in new[] { FaceDetectorKind.BlazeFace, FaceDetectorKind.Haar })
        {
            using var detector = FaceDetectors.TryCreate(new FaceOptions { Detector = kind }, out var reason) ?? throw new InvalidOperationException(reason);
            detector.Detect(decoded[0]); // warm-up: loads the model, JITs the path
            DetectionScore total = default;
            var onEmpty = 0;
            for (var i = 0; i < photos.Count; i++)
            {
                var score = photos[i].Score(detector.Detect(decoded[i]).Select(f => f.Box));
                total += score;
                if (photos[i].Faces.Count == 0)
                    onEmpty += score.Detections;
            }
            var done = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < measureFor || done < photos.Count)
                detector.Detect(decoded[done++ % photos.Count]);
            var perSecond = done / watch.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {detector.Name} | {total.Recall:0.000} ({total.Matched}/{total.TrueFaces}) | {total.Precision:0.000} ({total.Matched}/{total.Detections}) | {total.FalseFaces} | {onEmpty} | {perSecond:0.0} | {1000 / perSecond:0} |"));
        }

        output.WriteLine();
        output.WriteLine("BlazeFace precision/recall over the score threshold (detected once at 0.3, then filtered by score):");
        output.WriteLine();
        output.WriteLine("| threshold | recall | precision | false faces |");
        output.WriteLine("| ---: | ---: | ---: | ---: |");
        using (var blaze = BlazeFaceDetector.TryCreate(new FaceOptions(), out var reason) ?? throw new InvalidOperationException(reason))
        {
            var all = decoded.Select(d => blaze.Detect(d, 0.3f)).ToList();
            foreach (var threshold in new[] { 0.3f, 0.4f, 0.5f, 0.55f, 0.6f, 0.65f, 0.7f, 0.75f, 0.8f, 0.85f, 0.9f })
            {
                DetectionScore total = default;
                for (var i = 0; i < photos.Count; i++)
                    total += photos[i].Score(all[i].Where(f => f.Confidence >= threshold).Select(f => f.Box));
                var mark = Math.Abs(threshold - FaceOptions.DefaultScoreThreshold) < 1e-6 ? " (shipped)" : "";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {threshold:0.00}{mark} | {total.Recall:0.000} | {total.Precision:0.000} | {total.FalseFaces} |"));
            }
        }

        AlignmentAccuracy(faces, quick ? 60 : faces.Rows.Count, output);
        MarginAccuracy(faces, quick ? 60 : faces.Rows.Count, output);
    }

    // The same upright pastes, cut with more or less room around the detector's box: FER2013's own framing is the
    // pasted square, so the best margin is the one that reproduces it from the box the detector draws.
    private static void MarginAccuracy(BenchImages faces, int count, TextWriter output)
    {
        using var classifier = new EmotionClassifier(new ClassifierOptions { PreferCuda = false });
        var photos = Enumerable.Range(0, count).Select(i => Paste(faces.Png(i), 0)).ToList();
        output.WriteLine();
        List<double> offsetsX = [], offsetsY = [];
        output.WriteLine("| margin on each side | found | accuracy | pasted face side / box side (median) |");
        output.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var margin in new[] { 0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30 })
        {
            using var locator = new FaceLocator(new FaceOptions { Mode = FaceMode.Detect, Margin = margin });
            int found = 0, right = 0;
            var ratios = new List<double>();
            offsetsX.Clear();
            offsetsY.Clear();
            for (var i = 0; i < count; i++)
            {
                var located = locator.Locate(photos[i]);
                if (located.Faces.Count == 0)
                    continue;
                found++;
                var box = located.Faces[0].Box;
                var boxSide = (double)Math.Max(box.Width, box.Height);
                ratios.Add(PasteSide / boxSide);
                offsetsX.Add((box.X + box.Width / 2.0 - PasteWidth / 2.0) / boxSide);
                offsetsY.Add((box.Y + box.Height / 2.0 - PasteHeight / 2.0) / boxSide);
                right += classifier.Classify([located.Faces[0]])[0].Label == faces.Rows[i].Label ? 1 : 0;
            }
            ratios.Sort();
            var mark = Math.Abs(margin - new FaceOptions().Margin) < 1e-9 ? " (shipped)" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {margin:0.00}{mark} | {found}/{count} | {right / (double)count:0.000} | {(ratios.Count == 0 ? 0 : ratios[ratios.Count / 2]):0.00} |"));
        }
        offsetsX.Sort();
        offsetsY.Sort();
        if (offsetsX.Count > 0)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\nThe box's centre lies {offsetsX[offsetsX.Count / 2]:+0.000;-0.000} (right) and {offsetsY[offsetsY.Count / 2]:+0.000;-0.000} (down) of its side from the pasted face's centre (medians)."));
    }

    // Each PublicTest face enlarged to 160 px, turned by an angle, pasted on a 480x360 gradient; the largest face found is
    // classified with and without alignment. Accuracy counts every face (a face not found counts as wrong).
    private static void AlignmentAccuracy(BenchImages faces, int count, TextWriter output)
    {
        using var classifier = new EmotionClassifier(new ClassifierOptions { PreferCuda = false });
        using var aligned = new FaceLocator(new FaceOptions { Mode = FaceMode.Detect });
        using var plain = new FaceLocator(new FaceOptions { Mode = FaceMode.Detect, Align = false });
        var crops = classifier.Classify(faces.Tensor(count), count);
        var cropAccuracy = Enumerable.Range(0, count).Count(i => crops[i].Label == faces.Rows[i].Label) / (double)count;

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Emotion accuracy of {count} FER2013 PublicTest faces (tests/fixtures/publictest-slice) pasted into photos; as bare 48x48 crops: {cropAccuracy:0.000}"));
        output.WriteLine();
        output.WriteLine("| face turned by | found | accuracy, aligned | accuracy, not aligned |");
        output.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var degrees in new[] { 0, 15, -15, 30, -30 })
        {
            int found = 0, rightAligned = 0, rightPlain = 0;
            for (var i = 0; i < count; i++)
            {
                var photo = Paste(faces.Png(i), degrees);
                var a = aligned.Locate(photo);
                var p = plain.Locate(photo);
                if (a.Faces.Count == 0)
                    continue;
                found++;
                rightAligned += classifier.Classify([a.Faces[0]])[0].Label == faces.Rows[i].Label ? 1 : 0;
                rightPlain += classifier.Classify([p.Faces[0]])[0].Label == faces.Rows[i].Label ? 1 : 0;
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {degrees} deg | {found}/{count} | {rightAligned / (double)count:0.000} | {rightPlain / (double)count:0.000} |"));
        }
    }

    private const int PasteSide = 160, PasteWidth = 480, PasteHeight = 360;

    private static byte[] Paste(byte[] png, int degrees)
    {
        const int width = PasteWidth, height = PasteHeight, side = PasteSide;
        return PhotoCanvas.Render(width, height, canvas =>
        {
            using var face = SKImage.FromEncodedData(png);
            canvas.Save();
            canvas.RotateDegrees(degrees, width / 2f, height / 2f);
            canvas.DrawImage(face, new SKRect((width - side) / 2f, (height - side) / 2f, (width + side) / 2f, (height + side) / 2f),
                PhotoCanvas.FaceSampling);
            canvas.Restore();
        }, SKEncodedImageFormat.Png, 100);
    }
}
