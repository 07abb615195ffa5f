using Fer.Data.Entities;
using Fer.Inference.Faces;

namespace Fer.Testing;

public static class StoredBoxes
{
    /// <summary>A stored prediction's box as the detector's type, to compare it with ground truth and detections.</summary>
    public static FaceBox ToFaceBox(this PixelBox box) => new(box.X, box.Y, box.Width, box.Height);
}
