using System.Diagnostics;
using Fer.Core.Imaging;

namespace Fer.Inference.Faces;

/// <summary>
/// Bytes of one image -> the faces to classify. A crop (small image, a <c>.fer-crops</c> folder, or
/// <see cref="FaceMode.Crops"/>) is one face through exactly the <see cref="FacePreprocessor"/> path of <c>fer eval</c>;
/// any other image goes through the configured <see cref="IFaceDetector"/> (BlazeFace by default, Haar on request), and
/// each face found is cut out as a square with a margin, turned upright by its eye line when the detector gives
/// keypoints, and shrunk to 48x48 by the same preprocessing. The detector loads on the first photo, so crops never
/// need it. The worker, the embedded run and <c>fer classify</c> all go through this class. Thread-safe.
/// </summary>
public sealed class FaceLocator : IDisposable
{
    private readonly Lazy<(IFaceDetector? Detector, string? Reason)> _detector;

    public FaceLocator(FaceOptions? options = null)
    {
        Options = options ?? new FaceOptions();
        _detector = new Lazy<(IFaceDetector?, string?)>(() =>
        {
            var detector = FaceDetectors.TryCreate(Options, out var reason);
            return (detector, reason);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public FaceOptions Options { get; }

    /// <summary>Loads the detector if needed; null when it works, else why photos will fail.</summary>
    public string? DetectorUnavailableReason => _detector.Value.Reason;

    /// <summary>The loaded detector (loads it); null when it cannot load.</summary>
    public IFaceDetector? Detector => _detector.Value.Detector;

    /// <summary>The crop/detect decision for one image.</summary>
    public bool IsCrop(int width, int height, bool folderIsCrops) => Options.Mode switch
    {
        FaceMode.Crops => true,
        FaceMode.Detect => false,
        _ => folderIsCrops || (width <= Options.CropMaxSide && height <= Options.CropMaxSide),
    };

    /// <summary>Decodes and locates. Throws <see cref="InvalidImageException"/> for images that can never be scored,
    /// including photos on a machine where the detector cannot load (the reason says what to install).</summary>
    public LocatedImage Locate(ReadOnlySpan<byte> encoded, bool folderIsCrops = false, ImageLimits? limits = null)
    {
        // Opened once: the header decides crop or photo, and the same codec then decodes the pixels either way.
        using var image = EncodedImage.Open(encoded, limits);
        if (!IsCrop(image.SourceWidth, image.SourceHeight, folderIsCrops))
        {
            if (Options.PhotoDecodeMinSide > 0)
                image.ReduceTo(Math.Max(Options.PhotoDecodeMinSide, Options.DetectMaxSide));
            var located = LocatePhoto(image.DecodePhoto());
            return image.IsReduced ? InSourcePixels(located, image.SourceWidth, image.SourceHeight) : located;
        }
        if (image.Width < Options.CropMinSide || image.Height < Options.CropMinSide)
            throw new InvalidImageException($"image of {image.Width}x{image.Height} pixels is too small to be a face (a crop needs at least {Options.CropMinSide} per side)");
        var gray48 = FacePreprocessor.ToGray48(image.DecodeGray(), image.Width, image.Height);
        return new LocatedImage(image.SourceWidth, image.SourceHeight, false,
            [new LocatedFace(0, new FaceBox(0, 0, image.SourceWidth, image.SourceHeight), null, gray48)], 0);
    }

    /// <summary>A photo decoded reduced (over the size limits) has its size and boxes given in the file's own pixels,
    /// as every stored box is.</summary>
    private static LocatedImage InSourcePixels(LocatedImage located, int sourceWidth, int sourceHeight)
    {
        double sx = (double)sourceWidth / located.Width, sy = (double)sourceHeight / located.Height;
        var faces = located.Faces.Select(f => f with
        {
            Box = new FaceBox((int)Math.Round(f.Box.X * sx), (int)Math.Round(f.Box.Y * sy), (int)Math.Round(f.Box.Width * sx), (int)Math.Round(f.Box.Height * sy)),
        }).ToList();
        return located with { Width = sourceWidth, Height = sourceHeight, Faces = faces };
    }

    /// <summary>Runs the detector on a decoded photo and cuts out its faces.</summary>
    public LocatedImage LocatePhoto(DecodedPhoto photo)
    {
        var (detector, reason) = _detector.Value;
        if (detector is null)
            throw new InvalidImageException($"{photo.Width}x{photo.Height} photo needs the face detector, which is not available here: {reason}");
        var started = Stopwatch.GetTimestamp();
        DetectedFace[] detected;
        try
        {
            detected = detector.Detect(photo);
        }
        catch (Exception ex) when (ex is OpenCvSharp.OpenCvSharpException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new InvalidImageException($"face detection failed on this {photo.Width}x{photo.Height} image: {ex.Message}");
        }
        var faces = new LocatedFace[detected.Length];
        for (var i = 0; i < detected.Length; i++)
        {
            byte[] gray48;
            if (Options.Align && detected[i].Landmarks is { } landmarks)
            {
                var (crop, side) = FaceAligner.Upright(photo.Gray, photo.Width, photo.Height, detected[i].Box, landmarks.EyeLineAngle, Options.Margin);
                gray48 = FacePreprocessor.ToGray48(crop, side, side);
            }
            else
            {
                var square = SquareAround(detected[i].Box, photo.Width, photo.Height, Options.Margin);
                gray48 = FacePreprocessor.ToGray48(Cut(photo.Gray, photo.Width, square), square.Width, square.Height);
            }
            faces[i] = new LocatedFace(i, detected[i].Box, detected[i].Confidence, gray48);
        }
        var detectMs = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new LocatedImage(photo.Width, photo.Height, true, faces, detectMs);
    }

    /// <summary>The square the classifier sees: the box's centre, its longer side plus <paramref name="margin"/> on each
    /// side, moved (then shrunk) to stay inside the image.</summary>
    public static FaceBox SquareAround(FaceBox box, int width, int height, double margin)
    {
        var side = (int)Math.Round(Math.Max(box.Width, box.Height) * (1 + 2 * Math.Max(0, margin)));
        side = Math.Clamp(side, 1, Math.Min(width, height));
        var centreX = box.X + box.Width / 2.0;
        var centreY = box.Y + box.Height / 2.0;
        var x = Math.Clamp((int)Math.Round(centreX - side / 2.0), 0, width - side);
        var y = Math.Clamp((int)Math.Round(centreY - side / 2.0), 0, height - side);
        return new FaceBox(x, y, side, side);
    }

    private static byte[] Cut(byte[] gray, int width, FaceBox region)
    {
        var output = new byte[region.Width * region.Height];
        for (var row = 0; row < region.Height; row++)
            Array.Copy(gray, (region.Y + row) * width + region.X, output, row * region.Width, region.Width);
        return output;
    }

    public void Dispose()
    {
        if (_detector.IsValueCreated)
            _detector.Value.Detector?.Dispose();
    }
}
