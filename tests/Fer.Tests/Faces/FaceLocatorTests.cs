using SkiaSharp;

namespace Fer.Tests.Faces;

/// <summary>The detector on composed photos (sample faces pasted at known places), and crops that must stay exactly as before.</summary>
public sealed class FaceLocatorTests : IDisposable
{
    private readonly FaceLocator _locator = new(new FaceOptions { Detector = FaceDetectorKind.Haar, CascadePath = Path.Combine(RepoPaths.Root, FaceOptions.DefaultCascadePath) });

    public void Dispose() => _locator.Dispose();

    [Fact]
    public void The_shipped_detector_loads_here()
    {
        Assert.Null(_locator.DetectorUnavailableReason);
    }

    [Fact]
    public void Finds_every_pasted_face_where_it_was_put_largest_first()
    {
        var boxes = new[] { new FaceBox(60, 80, 150, 150), new FaceBox(330, 60, 220, 220), new FaceBox(660, 120, 180, 180) };
        var photo = ComposedPhoto.Compose(900, 420, ComposedPhoto.FrontalSamples.Zip(boxes));

        var located = _locator.Locate(photo);

        Assert.True(located.Detected);
        Assert.Equal((900, 420), (located.Width, located.Height));
        Assert.Equal(3, located.Faces.Count);
        foreach (var truth in boxes)
        {
            var best = located.Faces.Max(f => f.Box.Overlap(truth));
            Assert.True(best > 0.5, $"no detected box overlaps {truth} (best IoU {best:F2}): {string.Join(", ", located.Faces.Select(f => f.Box))}");
        }
        Assert.Equal([0, 1, 2], located.Faces.Select(f => f.Index));
        Assert.True(located.Faces[0].Box.Area >= located.Faces[1].Box.Area && located.Faces[1].Box.Area >= located.Faces[2].Box.Area);
        Assert.True(located.Faces[0].Box.Overlap(boxes[1]) > 0.5, "face 0 is the largest pasted face");
        Assert.All(located.Faces, f => Assert.True(f.DetectorConfidence > 0));
        Assert.All(located.Faces, f => Assert.Equal(FacePreprocessor.PixelCount, f.Gray48.Length));
        Assert.All(located.Faces, f => Assert.All(f.ModelInput(), p => Assert.InRange(p, 0f, 1f)));
    }

    [Fact]
    public void A_big_photo_is_searched_shrunk_and_boxes_come_back_in_its_own_pixels()
    {
        var box = new FaceBox(1500, 700, 600, 600);
        var photo = ComposedPhoto.Compose(3000, 2000, [(ComposedPhoto.FrontalSamples[0], box)], SKEncodedImageFormat.Jpeg);

        var located = _locator.Locate(photo);

        var face = Assert.Single(located.Faces);
        Assert.True(face.Box.Overlap(box) > 0.5, $"{face.Box} vs {box}");
    }

    [Fact]
    public void A_jpeg_over_the_decoding_limits_is_decoded_reduced_and_its_boxes_come_back_in_the_files_pixels()
    {
        var box = new FaceBox(1500, 700, 600, 600);
        var photo = ComposedPhoto.Compose(3000, 2000, [(ComposedPhoto.FrontalSamples[0], box)], SKEncodedImageFormat.Jpeg);
        // A tenth of the defaults: the 6 MP file stands for a 60 MP phone photo, decoded at 5/8 of its size.
        var limits = new ImageLimits { MaxPixels = 4_000_000, MaxSide = 2_000 };

        var located = _locator.Locate(photo, limits: limits);

        Assert.Equal((3000, 2000), (located.Width, located.Height));
        var face = Assert.Single(located.Faces);
        Assert.True(face.Box.Overlap(box) > 0.5, $"{face.Box} vs {box}");
        using var wholeDecode = new FaceLocator(new FaceOptions { Detector = FaceDetectorKind.Haar, CascadePath = _locator.Options.CascadePath, PhotoDecodeMinSide = 0 });
        Assert.True(face.Box.Overlap(Assert.Single(wholeDecode.Locate(photo).Faces).Box) > 0.8, "the box of the full-size decode");
        // A PNG cannot be decoded reduced, so it is refused as before.
        var png = ComposedPhoto.Compose(3000, 2000, [(ComposedPhoto.FrontalSamples[0], box)]);
        Assert.Contains("3000x2000 pixels exceeds the limit", Assert.Throws<InvalidImageException>(() => _locator.Locate(png, limits: limits)).Reason);
    }

    [Fact]
    public void A_phone_size_jpeg_is_decoded_at_about_twice_the_search_size_with_the_faces_of_the_whole_decode()
    {
        var boxes = new[] { new FaceBox(400, 900, 700, 700), new FaceBox(1700, 800, 500, 500), new FaceBox(2900, 1200, 240, 240) };
        var photo = ComposedPhoto.Compose(4000, 3000, ComposedPhoto.FrontalSamples.Zip(boxes), SKEncodedImageFormat.Jpeg);
        var model = Path.Combine(RepoPaths.Root, FaceOptions.DefaultBlazeFaceModelPath);
        using var reduced = new FaceLocator(new FaceOptions { BlazeFaceModelPath = model });
        using var whole = new FaceLocator(new FaceOptions { BlazeFaceModelPath = model, PhotoDecodeMinSide = 0 });
        using (var image = EncodedImage.Open(photo))
        {
            Assert.True(image.ReduceTo(reduced.Options.PhotoDecodeMinSide));
            Assert.Equal((2000, 1500), (image.Width, image.Height)); // 4/8: the 12 MP file is decoded as 3 MP
        }

        var fromReduced = reduced.Locate(photo);
        var fromWhole = whole.Locate(photo);

        Assert.Equal((4000, 3000), (fromReduced.Width, fromReduced.Height));
        Assert.True(fromWhole.Faces.Count >= 2, $"{fromWhole.Faces.Count} of the {boxes.Length} pasted faces found");
        Assert.Equal(fromWhole.Faces.Count, fromReduced.Faces.Count);
        for (var i = 0; i < fromWhole.Faces.Count; i++)
        {
            Assert.True(fromReduced.Faces[i].Box.Overlap(fromWhole.Faces[i].Box) > 0.9, $"{fromReduced.Faces[i].Box} vs {fromWhole.Faces[i].Box}");
            // The 48x48 crop the classifier sees: the 240 px face is still 120 px in the reduced decode.
            var difference = fromReduced.Faces[i].Gray48.Zip(fromWhole.Faces[i].Gray48, (a, b) => Math.Abs(a - b)).Average();
            Assert.True(difference < 4, $"face {i}: crops differ by {difference:0.0} grey levels on average");
        }
    }

    [Fact]
    public void A_face_that_fills_the_frame_is_found_once()
    {
        // FER2013 crops are cut tight (forehead to chin); enlarged past the crop size they are "photos" of one face
        // with no room around it, as a selfie or a 224 px dataset crop is. Before the zoomed-out tile BlazeFace found
        // about half of them.
        using var blaze = new FaceLocator(new FaceOptions { BlazeFaceModelPath = Path.Combine(RepoPaths.Root, FaceOptions.DefaultBlazeFaceModelPath) });
        var rows = Fer2013Csv.SliceRows(40);
        var found = 0;
        foreach (var row in rows)
        {
            var photo = TestImages.EncodeGray(FacePreprocessor.Resize(row.Pixels, 48, 48, 200, 200), 200, 200, SKEncodedImageFormat.Jpeg, 92);
            var located = blaze.Locate(photo);
            Assert.True(located.Detected);
            Assert.True(located.Faces.Count <= 1, $"{located.Faces.Count} faces in one enlarged crop: {string.Join(", ", located.Faces.Select(f => f.Box))}");
            if (located.Faces.Count == 1 && located.Faces[0].Box.Area >= 200 * 200 / 3)
                found++;
        }
        Assert.True(found >= 34, $"{found} of {rows.Count} frame-filling faces found");
    }

    [Fact]
    public void A_photo_without_a_face_has_no_faces()
    {
        var photo = ComposedPhoto.Compose(640, 480, []);

        var located = _locator.Locate(photo);

        Assert.True(located.Detected);
        Assert.Empty(located.Faces);
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(48, 48)]
    [InlineData(64, 80)]
    [InlineData(96, 96)]
    public void Small_crops_are_bit_identical_to_the_eval_preprocessing(int width, int height)
    {
        var bytes = TestImages.EncodeGray(TestImages.Noise(width, height, seed: width + height), width, height);
        var expected = new float[FacePreprocessor.PixelCount];
        FacePreprocessor.Preprocess(bytes, expected);

        var located = _locator.Locate(bytes);

        Assert.False(located.Detected);
        var face = Assert.Single(located.Faces);
        Assert.Equal(expected, face.ModelInput());
        Assert.Equal(new FaceBox(0, 0, width, height), face.Box);
        Assert.Null(face.DetectorConfidence);
    }

    [Fact]
    public void A_marked_folder_keeps_a_big_image_as_one_crop()
    {
        var photo = ComposedPhoto.Compose(300, 300, [(ComposedPhoto.FrontalSamples[0], new FaceBox(0, 0, 300, 300))]);
        var expected = new float[FacePreprocessor.PixelCount];
        FacePreprocessor.Preprocess(photo, expected);

        var located = _locator.Locate(photo, folderIsCrops: true);

        Assert.False(located.Detected);
        Assert.Equal(expected, Assert.Single(located.Faces).ModelInput());
    }

    [Fact]
    public void Without_a_detector_crops_still_work_and_photos_fail_with_the_reason()
    {
        using var locator = new FaceLocator(new FaceOptions { Detector = FaceDetectorKind.Haar, CascadePath = "/nonexistent/haarcascade.xml" });
        var crop = TestImages.EncodeGray(TestImages.Noise(48, 48, seed: 1), 48, 48);
        var photo = ComposedPhoto.Compose(400, 300, []);

        Assert.Single(locator.Locate(crop).Faces);
        var error = Assert.Throws<InvalidImageException>(() => locator.Locate(photo));
        Assert.Contains("face detector", error.Reason);
        Assert.Contains("/nonexistent/haarcascade.xml", error.Reason);
        Assert.NotNull(locator.DetectorUnavailableReason);
    }

    [Fact]
    public void The_install_hint_names_the_packages()
    {
        Assert.Contains("libgtk-3-0", HaarFaceDetector.InstallHint);
        Assert.Contains("libjpeg62-turbo", HaarFaceDetector.InstallHint);
    }
}
