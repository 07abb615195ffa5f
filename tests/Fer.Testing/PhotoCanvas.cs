using SkiaSharp;

namespace Fer.Testing;

/// <summary>
/// The background of every composed test or benchmark photo: a soft gradient, not a flat colour (closer to a real
/// background, and still without face-like structure), onto which faces are drawn and the result encoded.
/// </summary>
public static class PhotoCanvas
{
    public static readonly SKSamplingOptions FaceSampling = new(SKCubicResampler.Mitchell);

    /// <summary>A <paramref name="width"/> x <paramref name="height"/> colour photo: the gradient, then <paramref name="draw"/>, encoded.</summary>
    public static byte[] Render(int width, int height, Action<SKCanvas> draw, SKEncodedImageFormat format, int quality)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        using (var background = new SKPaint())
        {
            background.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(190, 170, 140), new SKColor(90, 110, 130)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, background);
        }
        draw(canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
