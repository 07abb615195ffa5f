namespace Fer.Inference.Faces;

/// <summary>Cuts a face out turned upright: FER2013's crops are roughly aligned (eyes level), a tilted head in a photo is
/// not.</summary>
public static class FaceAligner
{
    /// <summary>The square of <see cref="FaceLocator.SquareAround"/>'s size around the box's centre, rotated by
    /// <paramref name="eyeLineAngle"/> (radians, see <see cref="FaceLandmarks.EyeLineAngle"/>) so that the eyes come out
    /// level; bilinear samples, edges clamped where the square leaves the photo. Returns the luma and its side.</summary>
    public static (byte[] Pixels, int Side) Upright(byte[] gray, int width, int height, FaceBox box, double eyeLineAngle, double margin)
    {
        var side = (int)Math.Round(Math.Max(box.Width, box.Height) * (1 + 2 * Math.Max(0, margin)));
        side = Math.Max(1, side);
        var centreX = box.X + box.Width / 2.0;
        var centreY = box.Y + box.Height / 2.0;
        var cos = Math.Cos(eyeLineAngle);
        var sin = Math.Sin(eyeLineAngle);
        var output = new byte[side * side];
        for (var v = 0; v < side; v++)
        {
            var dy = v + 0.5 - side / 2.0;
            for (var u = 0; u < side; u++)
            {
                var dx = u + 0.5 - side / 2.0;
                // The output's horizontal runs along the eye line in the photo.
                var sx = centreX + dx * cos - dy * sin - 0.5;
                var sy = centreY + dx * sin + dy * cos - 0.5;
                output[v * side + u] = Sample(gray, width, height, sx, sy);
            }
        }
        return (output, side);
    }

    private static byte Sample(byte[] gray, int width, int height, double x, double y)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        var x0 = (int)x;
        var y0 = (int)y;
        var x1 = Math.Min(x0 + 1, width - 1);
        var y1 = Math.Min(y0 + 1, height - 1);
        var fx = x - x0;
        var fy = y - y0;
        var top = gray[y0 * width + x0] * (1 - fx) + gray[y0 * width + x1] * fx;
        var bottom = gray[y1 * width + x0] * (1 - fx) + gray[y1 * width + x1] * fx;
        return (byte)Math.Clamp((int)Math.Round(top * (1 - fy) + bottom * fy), 0, 255);
    }
}
