using System.Runtime.InteropServices;
using SkiaSharp;

namespace Fer.Testing;

/// <summary>Encodes pixel buffers with SkiaSharp so preprocessing is tested on real PNG/JPEG files.</summary>
public static class TestImages
{
    public static byte[] EncodeGray(byte[] gray, int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100) =>
        Encode(gray, new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), 1, format, quality);

    /// <summary><paramref name="rgb"/> is R,G,B triplets, row by row.</summary>
    public static byte[] EncodeRgb(byte[] rgb, int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        var rgba = new byte[width * height * 4];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgba[j] = rgb[i];
            rgba[j + 1] = rgb[i + 1];
            rgba[j + 2] = rgb[i + 2];
            rgba[j + 3] = 255;
        }
        return Encode(rgba, new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), 4, format, quality);
    }

    public static byte[] Uniform(int width, int height, byte value) => EncodeGray(Enumerable.Repeat(value, width * height).ToArray(), width, height);

    public static byte[] Noise(int width, int height, int seed)
    {
        var pixels = new byte[width * height];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }

    private static byte[] Encode(byte[] pixels, SKImageInfo info, int bytesPerPixel, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(info);
        var rowLength = info.Width * bytesPerPixel;
        for (var y = 0; y < info.Height; y++)
            Marshal.Copy(pixels, y * rowLength, bitmap.GetPixels() + y * bitmap.RowBytes, rowLength);
        using var data = bitmap.Encode(format, quality);
        return data?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp cannot encode {format}");
    }
}
