namespace Fer.Core.Imaging;

/// <summary>A decoded photo: RGB bytes (3 per pixel, row by row, alpha dropped) for the neural detector and BT.601 luma
/// (as <see cref="Imaging.FacePreprocessor.DecodeGray"/>) for Haar and for the classifier's crops.</summary>
public sealed class DecodedPhoto(int width, int height, byte[] rgb, byte[] gray)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    // Initialisers run in this order, so a wrong RGB length is reported before a wrong gray one.
    public byte[] Rgb { get; } = WithLength(rgb, width * height * 3, "RGB", nameof(rgb));
    public byte[] Gray { get; } = WithLength(gray, width * height, "gray", nameof(gray));

    private static byte[] WithLength(byte[] bytes, int expected, string what, string parameter) =>
        bytes.Length == expected ? bytes : throw new ArgumentException($"expected {expected} {what} bytes, got {bytes.Length}", parameter);
}
