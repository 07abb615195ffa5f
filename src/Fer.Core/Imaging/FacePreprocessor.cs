namespace Fer.Core.Imaging;

/// <summary>
/// Encoded image -> model input: 48x48 grayscale floats in [0,1], row by row.
/// Grayscale is ITU-R BT.601 luma rounded to a byte (as PIL's "L" mode), alpha ignored;
/// resizing averages areas when shrinking and is bilinear when enlarging. FER2013 images are
/// already 48x48 grayscale, so for them this is exactly pixel / 255, as in training.
/// </summary>
public static class FacePreprocessor
{
    public const int Side = 48;
    public const int PixelCount = Side * Side;

    public static void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination, ImageLimits? limits = null)
    {
        var gray = DecodeGray(encoded, out var width, out var height, limits);
        FromGray(gray, width, height, destination);
    }

    /// <summary>Decoded luma of any size (a whole crop, or a face cut out of a photo) -> model input.</summary>
    public static void FromGray(byte[] gray, int width, int height, Span<float> destination) =>
        FromGray48(ToGray48(gray, width, height), destination);

    /// <summary>Decoded luma of any size -> the 48x48 luma the model input is made of (the same array when already 48x48).</summary>
    public static byte[] ToGray48(byte[] gray, int width, int height) =>
        width == Side && height == Side ? gray : Resize(gray, width, height, Side, Side);

    /// <summary>48x48 bytes (a FER2013 CSV row) -> model input.</summary>
    public static void FromGray48(ReadOnlySpan<byte> gray48, Span<float> destination)
    {
        if (gray48.Length != PixelCount)
            throw new ArgumentException($"expected {PixelCount} pixels, got {gray48.Length}", nameof(gray48));
        if (destination.Length < PixelCount)
            throw new ArgumentException("destination too small", nameof(destination));
        for (var i = 0; i < PixelCount; i++)
            destination[i] = gray48[i] / 255f;
    }

    /// <summary>Decodes any format Skia reads (PNG, JPEG, GIF first frame, BMP, WebP, ICO) to 8-bit luma.</summary>
    public static byte[] DecodeGray(ReadOnlySpan<byte> encoded, out int width, out int height, ImageLimits? limits = null)
    {
        using var image = EncodedImage.Open(encoded, limits);
        width = image.Width;
        height = image.Height;
        return image.DecodeGray();
    }

    /// <summary>Decodes to RGB (alpha dropped, colour as stored, not composited) and to the same luma as
    /// <see cref="DecodeGray"/>: the neural face detector reads colour, the classifier's crops read luma.</summary>
    public static DecodedPhoto DecodePhoto(ReadOnlySpan<byte> encoded, ImageLimits? limits = null)
    {
        using var image = EncodedImage.Open(encoded, limits);
        return image.DecodePhoto();
    }

    /// <summary>BT.601 luma in fixed point, rounded: (299 R + 587 G + 114 B + 500) / 1000.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);

    public static byte[] Resize(byte[] source, int width, int height, int targetWidth, int targetHeight)
    {
        var output = new byte[targetWidth * targetHeight];
        if (width >= targetWidth && height >= targetHeight)
            AreaDownscale(source, width, height, output, targetWidth, targetHeight);
        else
            Bilinear(source, width, height, output, targetWidth, targetHeight);
        return output;
    }

    // Each output pixel is the exact area-weighted mean of the source pixels it covers, rounded half up (as PIL's box filter).
    private static void AreaDownscale(byte[] src, int w, int h, byte[] dst, int tw, int th)
    {
        var sx = (double)w / tw;
        var sy = (double)h / th;
        for (var oy = 0; oy < th; oy++)
        {
            double y0 = oy * sy, y1 = y0 + sy;
            for (var ox = 0; ox < tw; ox++)
            {
                double x0 = ox * sx, x1 = x0 + sx;
                double sum = 0, area = 0;
                for (var y = (int)y0; y < Math.Min(h, (int)Math.Ceiling(y1)); y++)
                {
                    var wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
                    if (wy <= 0) continue;
                    var row = y * w;
                    for (var x = (int)x0; x < Math.Min(w, (int)Math.Ceiling(x1)); x++)
                    {
                        var wx = Math.Min(x + 1, x1) - Math.Max(x, x0);
                        if (wx <= 0) continue;
                        sum += src[row + x] * wx * wy;
                        area += wx * wy;
                    }
                }
                dst[oy * tw + ox] = (byte)Math.Clamp((int)Math.Round(sum / area, MidpointRounding.AwayFromZero), 0, 255);
            }
        }
    }

    // Pixel centres aligned (half-pixel offsets), edges clamped.
    private static void Bilinear(byte[] src, int w, int h, byte[] dst, int tw, int th)
    {
        for (var oy = 0; oy < th; oy++)
        {
            var fy = Math.Clamp((oy + 0.5) * h / th - 0.5, 0, h - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, h - 1);
            var dy = fy - y0;
            for (var ox = 0; ox < tw; ox++)
            {
                var fx = Math.Clamp((ox + 0.5) * w / tw - 0.5, 0, w - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, w - 1);
                var dx = fx - x0;
                var top = src[y0 * w + x0] * (1 - dx) + src[y0 * w + x1] * dx;
                var bottom = src[y1 * w + x0] * (1 - dx) + src[y1 * w + x1] * dx;
                dst[oy * tw + ox] = (byte)Math.Clamp((int)Math.Round(top * (1 - dy) + bottom * dy, MidpointRounding.AwayFromZero), 0, 255);
            }
        }
    }
}
