namespace Fer.Core.Faces;

/// <summary>One face found by the detector: its box in the original image and the cascade's score
/// (the weight of its last stage, higher is surer; not a probability).</summary>
public readonly record struct DetectedFace(FaceBox Box, float Confidence);
