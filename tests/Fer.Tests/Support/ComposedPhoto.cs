using Fer.Inference.Faces;
using SkiaSharp;

namespace Fer.Tests.Support;

/// <summary>
/// A test "photo": sample faces from samples/ enlarged and pasted onto a larger canvas at known places, so a
/// detector's boxes can be checked against where the faces really are.
/// </summary>
public static class ComposedPhoto
{
    /// <summary>Faces that OpenCV's Haar cascade finds when enlarged (frontal, eyes visible).</summary>
    public static readonly string[] FrontalSamples =
    [
        "samples/happy/publictest-00005.png",
        "samples/sad/publictest-00002.png",
        "samples/surprise/publictest-00048.png",
    ];

    /// <summary>Encodes a <paramref name="width"/> x <paramref name="height"/> colour PNG with each sample drawn into its box.</summary>
    public static byte[] Compose(int width, int height, IEnumerable<(string Sample, FaceBox Box)> faces, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        using (var background = new SKPaint())
        {
            // A soft gradient, not a flat colour: closer to a real background, and still without face-like structure.
            background.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(190, 170, 140), new SKColor(90, 110, 130)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, background);
        }
        foreach (var (sample, box) in faces)
        {
            using var face = SKImage.FromEncodedData(Path.Combine(RepoPaths.Root, sample))
                ?? throw new InvalidOperationException($"cannot decode {sample}");
            canvas.DrawImage(face, new SKRect(box.X, box.Y, box.X + box.Width, box.Y + box.Height),
                new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>Faces of <paramref name="side"/> pixels laid out left to right with gaps, on a canvas that fits them.</summary>
    public static (byte[] Photo, FaceBox[] Boxes) Row(IReadOnlyList<string> samples, int side = 160, int gap = 120)
    {
        var boxes = samples.Select((_, i) => new FaceBox(gap + i * (side + gap), gap + (i % 2) * 40, side, side)).ToArray();
        var width = gap + samples.Count * (side + gap);
        var height = side + 2 * gap + 40;
        return (Compose(width, height, samples.Zip(boxes)), boxes);
    }
}
