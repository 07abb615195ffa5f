using Fer.Core.Imaging;

namespace Fer.Inference.Faces;

/// <summary>
/// Finds faces in a decoded photo. One long-lived instance serves every thread (the worker, the embedded run and
/// <c>fer classify</c> all reach it through <see cref="FaceLocator"/>). Chosen by <see cref="FaceOptions.Detector"/>.
/// </summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>"blazeface" or "haar": stored nowhere, printed by the bench and the docs.</summary>
    string Name { get; }

    /// <summary>Faces in the photo, in its own pixels, largest first, at most <see cref="FaceOptions.MaxFaces"/>.</summary>
    DetectedFace[] Detect(DecodedPhoto photo);
}

/// <summary>Which <see cref="IFaceDetector"/> a <see cref="FaceLocator"/> builds.</summary>
public enum FaceDetectorKind
{
    /// <summary>MediaPipe BlazeFace (short-range, 128x128) over a pyramid of tiles; the default.</summary>
    BlazeFace = 0,

    /// <summary>OpenCV's Haar frontal-face cascade (the detector before BlazeFace): kept as a fallback.</summary>
    Haar = 1,
}

/// <summary>Builds the configured detector.</summary>
public static class FaceDetectors
{
    /// <summary>On failure (missing model or native library) returns null and says why; never throws for those.</summary>
    public static IFaceDetector? TryCreate(FaceOptions options, out string? unavailableReason) => options.Detector switch
    {
        FaceDetectorKind.Haar => HaarFaceDetector.TryCreate(options, out unavailableReason),
        _ => BlazeFaceDetector.TryCreate(options, out unavailableReason),
    };
}
