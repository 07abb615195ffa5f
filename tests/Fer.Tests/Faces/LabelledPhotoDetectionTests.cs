using System.Globalization;
using Xunit.Abstractions;

namespace Fer.Tests.Faces;

/// <summary>
/// BlazeFace and Haar on the hand-labelled real photos of tests/fixtures/face-photos (README there): recall and precision
/// at IoU >= 0.3, side by side. BlazeFace is the default detector and must keep the measured figures (minus a margin);
/// Haar is printed for comparison only.
/// </summary>
public sealed class LabelledPhotoDetectionTests(ITestOutputHelper output)
{
    // Measured at the shipped threshold 0.7 (docs/faces.md): BlazeFace recall 0.948 (55/58), precision 1.000 (55/55).
    // The floors leave two missed or two false faces of room, and stay at the issue's targets (0.9 / 0.95).
    private const double RecallFloor = 0.90;
    private const double PrecisionFloor = 0.95;

    private static readonly string Folder = Path.Combine(RepoPaths.Fixtures, "face-photos");

    [Fact]
    public void The_set_holds_the_photos_it_promises()
    {
        var photos = LabelledFacePhotos.Load(Folder);
        Assert.True(photos.Count >= 25, $"{photos.Count} photos");
        Assert.All(photos, p => Assert.True(File.Exists(p.Path), p.Path));
        Assert.True(photos.Count(p => p.Faces.Count == 0) >= 1, "a photo without faces");
        Assert.True(photos.Count(p => p.Faces.Count(f => f.Width <= 45) >= 5) >= 1, "a group photo with at least 5 small faces");
        var sizes = photos.Select(p =>
        {
            using var image = EncodedImage.Open(File.ReadAllBytes(p.Path));
            return (image.Width, image.Height);
        }).ToList();
        Assert.Contains(sizes, s => (long)s.Width * s.Height >= 12_000_000);
    }

    [Fact]
    public void BlazeFace_keeps_its_measured_recall_and_precision_and_Haar_is_reported_beside_it()
    {
        var photos = LabelledFacePhotos.Load(Folder);
        using var blaze = Create(FaceDetectorKind.BlazeFace);
        using var haar = Create(FaceDetectorKind.Haar);

        DetectionScore blazeTotal = default, haarTotal = default, blazeSmall = default, haarSmall = default;
        output.WriteLine($"{"photo",-44} {"faces",5} {"blaze",11} {"haar",11}");
        foreach (var photo in photos)
        {
            var decoded = FacePreprocessor.DecodePhoto(File.ReadAllBytes(photo.Path));
            var b = photo.Score(blaze.Detect(decoded).Select(f => f.Box));
            var h = photo.Score(haar.Detect(decoded).Select(f => f.Box));
            blazeTotal += b;
            haarTotal += h;
            if (photo.Faces.Count(f => f.Width <= 45) >= 5)
            {
                blazeSmall += b;
                haarSmall += h;
            }
            output.WriteLine($"{Path.GetFileName(photo.Path),-44} {photo.Faces.Count,5} {$"{b.Matched}/{b.Detections}",11} {$"{h.Matched}/{h.Detections}",11}");
            if (photo.Faces.Count == 0)
                Assert.True(b.Detections == 0, $"BlazeFace found {b.Detections} face(s) in {Path.GetFileName(photo.Path)}, which has none");
        }
        output.WriteLine(Line("BlazeFace", blazeTotal));
        output.WriteLine(Line("Haar", haarTotal));
        output.WriteLine(Line("BlazeFace, small-face group photos", blazeSmall));
        output.WriteLine(Line("Haar, small-face group photos", haarSmall));

        Assert.True(blazeTotal.Recall >= RecallFloor, Line("BlazeFace", blazeTotal));
        Assert.True(blazeTotal.Precision >= PrecisionFloor, Line("BlazeFace", blazeTotal));
        Assert.True(blazeSmall.Recall >= haarSmall.Recall, $"{Line("BlazeFace", blazeSmall)} vs {Line("Haar", haarSmall)}");
    }

    [Fact]
    public void The_keypoints_follow_a_tilted_head()
    {
        // rotated25-tracking-faces.jpg is tracking-faces turned 25 degrees counter-clockwise: each eye line must turn by
        // the same 25 degrees (the heads themselves are not all level in the upright photo).
        using var blaze = Create(FaceDetectorKind.BlazeFace);
        var upright = Angles("tracking-faces-rgba.png");
        var tilted = Angles("rotated25-tracking-faces.jpg");

        Assert.Equal(3, upright.Count);
        Assert.Equal(3, tilted.Count);
        var turns = upright.Zip(tilted, (u, t) => t - u).ToList();
        for (var i = 0; i < 3; i++)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"face {i}: upright {upright[i]:F1} deg, tilted {tilted[i]:F1} deg"));
        // Measured turns: -27.7, -29.8, -17.2 degrees (one keypoint pair is a few pixels off on an 80 px face); a swapped
        // eye pair or a flipped y axis would give about +25 or 180.
        Assert.All(turns, turn => Assert.InRange(turn, -25 - 10, -25 + 10));
        Assert.InRange(turns.Average(), -25 - 4, -25 + 4);

        List<double> Angles(string file) => blaze.Detect(FacePreprocessor.DecodePhoto(File.ReadAllBytes(Path.Combine(Folder, file))))
            .OrderBy(f => f.Box.X).Select(f => f.Landmarks!.Value.EyeLineAngle * 180 / Math.PI).ToList();
    }

    [Fact]
    public void Aligned_crops_of_a_tilted_photo_look_like_the_upright_photo_s_crops()
    {
        var upright = File.ReadAllBytes(Path.Combine(Folder, "tracking-faces-rgba.png"));
        var tilted = File.ReadAllBytes(Path.Combine(Folder, "rotated25-tracking-faces.jpg"));
        using var aligned = new FaceLocator(new FaceOptions { Mode = FaceMode.Detect });
        using var plain = new FaceLocator(new FaceOptions { Mode = FaceMode.Detect, Align = false });

        // Faces ordered left to right in both photos (the rotation keeps that order).
        var reference = aligned.Locate(upright).Faces.OrderBy(f => f.Box.X).ToList();
        var alignedFaces = aligned.Locate(tilted).Faces.OrderBy(f => f.Box.X).ToList();
        var plainFaces = plain.Locate(tilted).Faces.OrderBy(f => f.Box.X).ToList();
        Assert.Equal(3, reference.Count);
        Assert.Equal(3, alignedFaces.Count);
        Assert.Equal(3, plainFaces.Count);

        for (var i = 0; i < 3; i++)
        {
            var alignedDistance = MeanAbsoluteDifference(reference[i].ModelInput(), alignedFaces[i].ModelInput());
            var plainDistance = MeanAbsoluteDifference(reference[i].ModelInput(), plainFaces[i].ModelInput());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"face {i}: aligned {alignedDistance:F3}, not aligned {plainDistance:F3}"));
            Assert.True(alignedDistance < plainDistance * 0.8, $"face {i}: aligned {alignedDistance:F3} vs not aligned {plainDistance:F3}");
        }
    }

    private static double MeanAbsoluteDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    private static IFaceDetector Create(FaceDetectorKind kind) =>
        FaceDetectors.TryCreate(new FaceOptions { Detector = kind }, out var reason) ?? throw new InvalidOperationException(reason);

    private static string Line(string name, DetectionScore s) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: recall {s.Recall:F3} ({s.Matched}/{s.TrueFaces}), precision {s.Precision:F3} ({s.Matched}/{s.Detections})");
}
