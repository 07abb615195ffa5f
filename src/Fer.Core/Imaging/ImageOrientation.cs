using System.Runtime.InteropServices;
using SkiaSharp;

namespace Fer.Core.Imaging;

/// <summary>
/// Pixels as stored -> pixels as the image is meant to be seen. Cameras and phones store the sensor's rows and record
/// how to turn them in the EXIF orientation tag (Skia reports it as <see cref="SKCodec.EncodedOrigin"/>); every viewer
/// applies it, so a portrait phone photo decoded without it lies on its side, and so do its faces.
/// </summary>
public static class ImageOrientation
{
    /// <summary>Whether the seen image is the stored one turned a quarter (its width and height swap).</summary>
    public static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// <paramref name="stored"/> (<paramref name="width"/> x <paramref name="height"/> as stored, <paramref name="bytesPerPixel"/>
    /// 1 or 4, row by row) turned and mirrored to be seen upright; the same array when there is nothing to do.
    /// </summary>
    public static byte[] ToUpright(byte[] stored, int width, int height, int bytesPerPixel, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft)
            return stored;
        var upright = new byte[stored.Length];
        switch (bytesPerPixel)
        {
            case 1:
                Turn<byte>(stored, upright, width, height, origin);
                break;
            case 4:
                Turn(MemoryMarshal.Cast<byte, uint>(stored), MemoryMarshal.Cast<byte, uint>(upright.AsSpan()), width, height, origin);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(bytesPerPixel), bytesPerPixel, "1 (gray) or 4 (RGBA) bytes a pixel");
        }
        return upright;
    }

    private static void Turn<T>(ReadOnlySpan<T> stored, Span<T> upright, int width, int height, SKEncodedOrigin origin)
    {
        var swaps = SwapsSides(origin);
        var uprightWidth = swaps ? height : width;
        var uprightHeight = swaps ? width : height;
        for (var y = 0; y < uprightHeight; y++)
        {
            // Along an upright row the stored pixel moves by a fixed step: EXIF names where the stored first row and
            // first column end up, which fixes where each upright row starts in the stored pixels and which way it runs.
            var (first, step) = origin switch
            {
                SKEncodedOrigin.TopRight => (y * width + width - 1, -1),
                SKEncodedOrigin.BottomRight => ((height - 1 - y) * width + width - 1, -1),
                SKEncodedOrigin.BottomLeft => ((height - 1 - y) * width, 1),
                SKEncodedOrigin.LeftTop => (y, width),
                SKEncodedOrigin.RightTop => ((height - 1) * width + y, -width),
                SKEncodedOrigin.RightBottom => ((height - 1) * width + width - 1 - y, -width),
                SKEncodedOrigin.LeftBottom => (width - 1 - y, width),
                _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "not an EXIF orientation"),
            };
            var row = upright.Slice(y * uprightWidth, uprightWidth);
            for (int x = 0, source = first; x < uprightWidth; x++, source += step)
                row[x] = stored[source];
        }
    }
}
