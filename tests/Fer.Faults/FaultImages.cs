using System.IO.Compression;
using Fer.Core.Labels;
using SkiaSharp;

namespace Fer.Faults;

/// <summary>
/// The images a fault scenario uploads: FER2013 PublicTest faces (tests/fixtures/publictest-slice.csv.gz) as 48x48
/// PNGs, replicated under new names to any count, plus a few files that can never be scored (so every run also
/// checks that permanent failures are terminal and recorded once).
/// </summary>
public sealed class FaultImages
{
    private readonly List<(Emotion Label, byte[] Png)> _faces = [];

    public FaultImages(string csvGz)
    {
        using var stream = new GZipStream(File.OpenRead(csvGz), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        reader.ReadLine(); // header: emotion,pixels
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            var pixels = fields[1].Split(' ').Select(byte.Parse).ToArray();
            _faces.Add(((Emotion)int.Parse(fields[0]), EncodePng(pixels)));
        }
    }

    /// <summary>Invalid files every scenario folder holds besides its faces; each must end Failed with a reason.</summary>
    public static readonly IReadOnlyList<(string Name, byte[] Bytes)> Unscorable =
    [
        ("unlabelled/empty.png", []),
        ("unlabelled/text-renamed.png", "this is not an image\n"u8.ToArray()),
        ("unlabelled/truncated.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]),
    ];

    /// <summary>The i-th face: "happy/face-000123.png" and its bytes (the slice's rows repeated).</summary>
    public (string RelativePath, byte[] Png) Face(int i)
    {
        var (label, png) = _faces[i % _faces.Count];
        return ($"{EmotionLabels.Name(label)}/face-{i:000000}.png", png);
    }

    private static byte[] EncodePng(byte[] gray48)
    {
        var info = new SKImageInfo(48, 48, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(gray48, 0, bitmap.GetPixels(), gray48.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
