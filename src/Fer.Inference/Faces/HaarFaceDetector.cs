using System.Collections.Concurrent;
using Fer.Core.Imaging;
using Fer.Inference;
using OpenCvSharp;

namespace Fer.Inference.Faces;

/// <summary>
/// OpenCV's Haar frontal-face cascade on 8-bit grayscale pixels. Long-lived: the cascade is parsed once and
/// pooled, because one CascadeClassifier must not run on two threads at once.
/// When the native OpenCV library or the cascade cannot be loaded, <see cref="TryCreate"/> says why instead of throwing.
/// </summary>
public sealed class HaarFaceDetector : IFaceDetector
{
    /// <summary>What to install when the native library does not load (Debian/Ubuntu package names).</summary>
    public const string InstallHint =
        "libOpenCvSharpExtern.so needs GTK 3 and libjpeg: apt-get install libgtk-3-0 libjpeg62-turbo (Ubuntu 24.04: libgtk-3-0t64), or run bash scripts/services.sh install";

    private readonly ConcurrentBag<CascadeClassifier> _pool = [];
    private readonly FaceOptions _options;
    private bool _disposed;

    private HaarFaceDetector(string cascadePath, FaceOptions options, CascadeClassifier first)
    {
        CascadePath = cascadePath;
        _options = options;
        _pool.Add(first);
    }

    public string CascadePath { get; }

    public string Name => "haar";

    public DetectedFace[] Detect(DecodedPhoto photo) => Detect(photo.Gray, photo.Width, photo.Height);

    /// <summary>Loads the cascade; on failure returns null and the reason (never throws for a missing library or file).</summary>
    public static HaarFaceDetector? TryCreate(FaceOptions options, out string? unavailableReason)
    {
        if (DetectorFile.Find(options.CascadePath, "cascade file", out unavailableReason) is not { } path)
            return null;
        try
        {
            var cascade = Load(path);
            return new HaarFaceDetector(path, options, cascade);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            var cause = ex is TypeInitializationException { InnerException: { } inner } ? inner.Message : ex.Message;
            unavailableReason = $"face detector unavailable: the native OpenCV library could not be loaded ({cause}); {InstallHint}";
            return null;
        }
        catch (Exception ex) when (ex is OpenCvSharpException or InvalidOperationException)
        {
            unavailableReason = $"face detector unavailable: {path} is not a cascade OpenCV can read ({ex.Message})";
            return null;
        }
    }

    private static CascadeClassifier Load(string path)
    {
        var cascade = new CascadeClassifier(path);
        if (cascade.Empty())
        {
            cascade.Dispose();
            throw new InvalidOperationException("the cascade is empty");
        }
        return cascade;
    }

    /// <summary>Faces in a <paramref name="width"/> x <paramref name="height"/> grayscale image, largest first.</summary>
    public DetectedFace[] Detect(byte[] gray, int width, int height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (gray.Length != width * height)
            throw new ArgumentException($"expected {width * height} pixels, got {gray.Length}", nameof(gray));
        var cascade = _pool.TryTake(out var pooled) ? pooled : Load(CascadePath);
        try
        {
            using var source = Mat.FromPixelData(height, width, MatType.CV_8UC1, gray);
            // Big photos are searched shrunk (the cascade's cost grows with the pixel count); boxes are scaled back.
            var scale = Math.Min(1.0, (double)Math.Max(1, _options.DetectMaxSide) / Math.Max(width, height));
            using var search = new Mat();
            if (scale < 1.0)
                Cv2.Resize(source, search, new Size(Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale))),
                    interpolation: InterpolationFlags.Area);
            else
                source.CopyTo(search);
            Cv2.EqualizeHist(search, search);

            var minSide = Math.Max(1, _options.MinFaceSide);
            var rects = cascade.DetectMultiScale(search, out _, out var weights, _options.ScaleFactor, _options.MinNeighbors,
                HaarDetectionTypes.ScaleImage, new Size(minSide, minSide), null, outputRejectLevels: true);
            var faces = new List<DetectedFace>(rects.Length);
            for (var i = 0; i < rects.Length; i++)
            {
                var r = rects[i];
                var box = Clamp(new FaceBox((int)Math.Round(r.X / scale), (int)Math.Round(r.Y / scale),
                    (int)Math.Round(r.Width / scale), (int)Math.Round(r.Height / scale)), width, height);
                if (box.Width > 0 && box.Height > 0)
                    faces.Add(new DetectedFace(box, i < weights.Length ? (float)weights[i] : float.NaN));
            }
            return faces.OrderByDescending(f => f.Box.Area).ThenBy(f => f.Box.Y).ThenBy(f => f.Box.X)
                .Take(Math.Max(1, _options.MaxFaces)).ToArray();
        }
        finally
        {
            _pool.Add(cascade);
        }
    }

    private static FaceBox Clamp(FaceBox box, int width, int height)
    {
        var x0 = Math.Clamp(box.X, 0, width);
        var y0 = Math.Clamp(box.Y, 0, height);
        var x1 = Math.Clamp(box.X + box.Width, 0, width);
        var y1 = Math.Clamp(box.Y + box.Height, 0, height);
        return new FaceBox(x0, y0, x1 - x0, y1 - y0);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_pool.TryTake(out var cascade))
            cascade.Dispose();
    }
}
