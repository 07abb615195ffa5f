using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace Fer.Tests.Support;

/// <summary>Files a hostile or careless user might drop into a dataset folder, made on the fly or read from tests/fixtures/hostile.</summary>
public static class HostileImages
{
    public static string Fixture(string name) => Path.Combine(RepoPaths.Fixtures, "hostile", name);

    /// <summary>Two 48x48 frames, the first uniform gray 200, the second gray 30 (made with ImageMagick).</summary>
    public static byte[] AnimatedGif => File.ReadAllBytes(Fixture("animated.gif"));

    /// <summary>48x48 16-bit grayscale PNG, a vertical gradient from black (top row) to white (bottom row).</summary>
    public static byte[] Gray16Png => File.ReadAllBytes(Fixture("gray16.png"));

    /// <summary>48x48 CMYK JPEG (Adobe marker) of the colour rgb(230,220,210).</summary>
    public static byte[] CmykJpeg => File.ReadAllBytes(Fixture("cmyk.jpg"));

    public static byte[] TextRenamedPng => "This is a text file that someone renamed to .png\n"u8.ToArray();

    public static byte[] TruncatedJpeg()
    {
        var jpeg = TestImages.EncodeGray(TestImages.Noise(200, 200, seed: 11), 200, 200, SKEncodedImageFormat.Jpeg, 90);
        return jpeg[..(jpeg.Length / 2)];
    }

    /// <summary>
    /// A complete, valid 1-bit grayscale PNG of <paramref name="width"/> x <paramref name="height"/> black pixels. At
    /// 20000x20000 it is ~50 KB on disk and 1.6 GB once decoded to RGBA: a decompression bomb that is also a real image.
    /// </summary>
    public static byte[] BilevelPng(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth
        header[9] = 0; // grayscale
        WriteChunk(png, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[1 + (width + 7) / 8]; // filter byte 0, then zero bits
                for (var y = 0; y < height; y++)
                    zlib.Write(row);
            }
            WriteChunk(png, "IDAT", pixels.ToArray());
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Fer.Tests.Imaging.Crc32.Compute(typeAndData));
        png.Write(number);
    }
}
