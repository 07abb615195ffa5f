using Fer.Core.Imaging;
using SkiaSharp;

namespace Fer.Reporting.Rendering;

/// <summary>Any image the classifier accepts -> the 48x48 grayscale face it saw, as a PNG data URI for the report.</summary>
public static class ThumbnailEncoder
{
    public const string DataUriPrefix = "data:image/png;base64,";

    /// <summary>Null when the bytes are not a decodable image: a report never fails for one bad thumbnail.</summary>
    public static string? ToDataUri(byte[] encoded)
    {
        byte[] gray;
        try
        {
            gray = FacePreprocessor.DecodeGray(encoded, out var width, out var height);
            if (width != FacePreprocessor.Side || height != FacePreprocessor.Side)
                gray = FacePreprocessor.Resize(gray, width, height, FacePreprocessor.Side, FacePreprocessor.Side);
        }
        catch (InvalidImageException)
        {
            return null;
        }
        var info = new SKImageInfo(FacePreprocessor.Side, FacePreprocessor.Side, SKColorType.Gray8, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, gray);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return DataUriPrefix + Convert.ToBase64String(png.Span);
    }
}
