using System.Globalization;
using Fer.Core.Labels;
using SkiaSharp;

namespace Fer.Cli.Output;

/// <summary><c>fer classify --annotate</c>: the image with each face's box and "label NN%" drawn on it, as PNG.</summary>
public static class FaceAnnotator
{
    // The self-contained Skia build has no font lookup; a common TrueType font is used when one is installed.
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ];

    public static void Write(byte[] encoded, ImageClassification classification, string outputPath)
    {
        using var bitmap = SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("the image cannot be decoded for annotation");
        using var surface = SKSurface.Create(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.DrawBitmap(bitmap, 0, 0);

        var stroke = Math.Max(2f, Math.Max(bitmap.Width, bitmap.Height) / 300f);
        using var typeface = FontFiles.Where(File.Exists).Select(SKTypeface.FromFile).FirstOrDefault(t => t is not null) ?? SKTypeface.Default;
        foreach (var (face, prediction) in classification.Faces)
        {
            var box = new SKRect(face.Box.X, face.Box.Y, face.Box.X + face.Box.Width, face.Box.Y + face.Box.Height);
            using var frame = new SKPaint { Color = SKColors.Lime, Style = SKPaintStyle.Stroke, StrokeWidth = stroke, IsAntialias = true };
            canvas.DrawRect(box, frame);

            var text = string.Create(CultureInfo.InvariantCulture, $"{EmotionLabels.Name(prediction.Label)} {prediction.Confidence * 100:F0}%");
            using var font = new SKFont(typeface, Math.Clamp(face.Box.Width / 6f, 10f, 64f));
            var width = font.MeasureText(text);
            var height = font.Size * 1.25f;
            // Above the box when there is room, else inside its top edge.
            var top = box.Top - height >= 0 ? box.Top - height : box.Top;
            using var band = new SKPaint { Color = SKColors.Lime.WithAlpha(200), Style = SKPaintStyle.Fill };
            canvas.DrawRect(new SKRect(box.Left, top, box.Left + width + font.Size * 0.4f, top + height), band);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(text, box.Left + font.Size * 0.2f, top + font.Size, SKTextAlign.Left, font, ink);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        using var file = File.Create(outputPath);
        png.SaveTo(file);
    }
}
