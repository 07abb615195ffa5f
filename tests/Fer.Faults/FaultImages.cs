using Fer.Core.Labels;

namespace Fer.Faults;

/// <summary>
/// The images a fault scenario uploads: FER2013 PublicTest faces (tests/fixtures/publictest-slice.csv.gz) as 48x48
/// PNGs, replicated under new names to any count, plus a few files that can never be scored (so every run also
/// checks that permanent failures are terminal and recorded once).
/// </summary>
public sealed class FaultImages
{
    private readonly List<(Emotion Label, byte[] Png)> _faces;

    public FaultImages(string csvGz) =>
        _faces = Fer2013Images.ReadRows(csvGz).Select(row => (row.Label, Fer2013Images.EncodePng(row.Gray48))).ToList();

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
}
