namespace Fer.Inference.Faces;

/// <summary>A face's rectangle in the pixels of the original image (top-left corner, width, height).</summary>
public readonly record struct FaceBox(int X, int Y, int Width, int Height)
{
    public long Area => (long)Width * Height;

    /// <summary>Intersection over union, 0 when apart, 1 when equal.</summary>
    public double Overlap(FaceBox other)
    {
        var x0 = Math.Max(X, other.X);
        var y0 = Math.Max(Y, other.Y);
        var x1 = Math.Min(X + Width, other.X + other.Width);
        var y1 = Math.Min(Y + Height, other.Y + other.Height);
        if (x1 <= x0 || y1 <= y0)
            return 0;
        var intersection = (double)(x1 - x0) * (y1 - y0);
        return intersection / (Area + other.Area - intersection);
    }
}
