namespace Fer.Core.Imaging;

/// <summary>A decoded photo: RGB bytes (3 per pixel, row by row, alpha dropped) for the neural detector and BT.601 luma
/// (as <see cref="Imaging.FacePreprocessor.DecodeGray"/>) for Haar and for the classifier's crops.</summary>
public sealed class DecodedPhoto
{
    public DecodedPhoto(int width, int height, byte[] rgb, byte[] gray)
    {
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"expected {width * height * 3} RGB bytes, got {rgb.Length}", nameof(rgb));
        if (gray.Length != width * height)
            throw new ArgumentException($"expected {width * height} gray bytes, got {gray.Length}", nameof(gray));
        Width = width;
        Height = height;
        Rgb = rgb;
        Gray = gray;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Rgb { get; }
    public byte[] Gray { get; }
}
