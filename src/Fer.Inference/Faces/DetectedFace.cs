namespace Fer.Inference.Faces;

/// <summary>One face found by a detector: its box in the original image, the detector's score and, from BlazeFace, its
/// six keypoints. Haar's score is the weight of its last stage (higher is surer, not a probability); BlazeFace's is a
/// probability in [0,1].</summary>
public readonly record struct DetectedFace(FaceBox Box, float Confidence, FaceLandmarks? Landmarks = null);

/// <summary>A point in the original image's pixels (sub-pixel).</summary>
public readonly record struct FacePoint(float X, float Y);

/// <summary>BlazeFace's six keypoints, in MediaPipe's order. "Right" is the person's right, which is on the image's left
/// for a face looking at the camera.</summary>
public readonly record struct FaceLandmarks(FacePoint RightEye, FacePoint LeftEye, FacePoint Nose, FacePoint Mouth, FacePoint RightEar, FacePoint LeftEar)
{
    /// <summary>Angle of the eye line (right eye to left eye) against the horizontal, in radians, positive clockwise on
    /// screen (image y grows downwards). Rotating the face by minus this angle makes the eyes level.</summary>
    public double EyeLineAngle => Math.Atan2(LeftEye.Y - RightEye.Y, LeftEye.X - RightEye.X);
}
