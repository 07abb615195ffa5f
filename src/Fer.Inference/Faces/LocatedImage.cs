namespace Fer.Inference.Faces;

/// <summary>One face ready for the classifier: <see cref="Pixels"/> is its 48x48 model input.
/// <see cref="DetectorConfidence"/> is null for a crop (the whole image is the face).</summary>
public sealed record LocatedFace(int Index, FaceBox Box, float? DetectorConfidence, float[] Pixels);

/// <summary>What <see cref="FaceLocator"/> made of one image: its size, whether the detector ran, and its faces
/// (largest first, so face 0 is the image's main face; none when a photo shows no face).</summary>
public sealed record LocatedImage(int Width, int Height, bool Detected, IReadOnlyList<LocatedFace> Faces, float DetectMs);
