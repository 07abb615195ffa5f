using Fer.Inference.Faces;
using SkiaSharp;

namespace Fer.Testing;

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
        return PhotoCanvas.Render(width, height, canvas =>
        {
            foreach (var (sample, box) in faces)
            {
                using var face = SKImage.FromEncodedData(Path.Combine(RepoPaths.Root, sample))
                    ?? throw new InvalidOperationException($"cannot decode {sample}");
                canvas.DrawImage(face, new SKRect(box.X, box.Y, box.X + box.Width, box.Y + box.Height), PhotoCanvas.FaceSampling);
            }
        }, format, 95);
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
