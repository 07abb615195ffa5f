namespace Fer.Core.Faces;

/// <summary>The detector could not be loaded (native OpenCV library or cascade file missing).</summary>
public sealed class FaceDetectionUnavailableException(string reason, Exception? inner = null) : Exception(reason, inner);
