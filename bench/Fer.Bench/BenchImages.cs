using Fer.Core.Datasets;
using Fer.Core.Imaging;
using Fer.Core.Labels;

namespace Fer.Bench;

/// <summary>The 300 FER2013 PublicTest faces of the test fixture, as PNG bytes and as model input, replicated to any count under new names.</summary>
public sealed class BenchImages
{
    private BenchImages(IReadOnlyList<Fer2013Row> rows, IReadOnlyList<byte[]> pngs)
    {
        Rows = rows;
        Pngs = pngs;
    }

    public IReadOnlyList<Fer2013Row> Rows { get; }
    public IReadOnlyList<byte[]> Pngs { get; }

    public static BenchImages Load(string fixturePath)
    {
        var rows = Fer2013CsvReader.Read(fixturePath).ToList();
        return new BenchImages(rows, rows.Select(r => Fer2013Images.EncodePng(r.Pixels)).ToList());
    }

    /// <summary>Relative path of the i-th replicated image: "happy/bench-00012.png" (labelled by its folder).</summary>
    public string RelativePath(int index) => $"{EmotionLabels.Name(Rows[index % Rows.Count].Label)}/bench-{index:00000}.png";

    public byte[] Png(int index) => Pngs[index % Pngs.Count];

    /// <summary>count faces laid out back to back as the model wants them.</summary>
    public float[] Tensor(int count)
    {
        var pixels = new float[count * FacePreprocessor.PixelCount];
        for (var i = 0; i < count; i++)
            FacePreprocessor.FromGray48(Rows[i % Rows.Count].Pixels, pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
        return pixels;
    }

    /// <summary>Writes the replicated dataset to a local folder once; an existing complete folder is reused.</summary>
    public string WriteFolder(string parent, int count)
    {
        var folder = Path.Combine(parent, $"images-{count}");
        var marker = Path.Combine(folder, "_complete");
        if (File.Exists(marker))
            return folder;
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(folder, RelativePath(i));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Png(i));
        }
        File.WriteAllText(marker, "");
        return folder;
    }
}
