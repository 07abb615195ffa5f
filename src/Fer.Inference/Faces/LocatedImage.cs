using Fer.Core.Imaging;

namespace Fer.Inference.Faces;

/// <summary>One face ready for the classifier: <see cref="Gray48"/> is its 48x48 luma, row by row, which the classifier
/// turns into model input as it packs a batch (kept as bytes: a quarter of the floats' size, and no per-face copy).
/// <see cref="DetectorConfidence"/> is null for a crop (the whole image is the face).</summary>
public sealed record LocatedFace(int Index, FaceBox Box, float? DetectorConfidence, byte[] Gray48)
{
    /// <summary>This face's model input on its own (<see cref="FacePreprocessor.FromGray48"/>): a new array each call.</summary>
    public float[] ModelInput()
    {
        var pixels = new float[FacePreprocessor.PixelCount];
        FacePreprocessor.FromGray48(Gray48, pixels);
        return pixels;
    }
}

/// <summary>What <see cref="FaceLocator"/> made of one image: its size, whether the detector ran, and its faces
/// (largest first, so face 0 is the image's main face; none when a photo shows no face).</summary>
public sealed record LocatedImage(int Width, int Height, bool Detected, IReadOnlyList<LocatedFace> Faces, float DetectMs);
