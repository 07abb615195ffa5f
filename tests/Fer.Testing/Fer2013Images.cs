using System.IO.Compression;
using Azure.Storage.Blobs;
using Fer.Core.Labels;
using SkiaSharp;

namespace Fer.Testing;

/// <summary>FER2013 CSV rows (emotion,pixels) as 48x48 grayscale PNG files: the fixtures of the pipeline tests and of samples/.</summary>
public static class Fer2013Images
{
    public sealed record Row(int Index, Emotion Label, byte[] Gray48);

    public static IReadOnlyList<Row> ReadRows(string csvGzPath)
    {
        using var stream = new GZipStream(File.OpenRead(csvGzPath), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        reader.ReadLine(); // header: emotion,pixels
        var rows = new List<Row>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            var pixels = fields[1].Split(' ').Select(byte.Parse).ToArray();
            rows.Add(new Row(rows.Count, (Emotion)int.Parse(fields[0]), pixels));
        }
        return rows;
    }

    /// <summary>Lossless 8-bit grayscale PNG: decoding it gives back exactly the CSV pixels.</summary>
    public static byte[] EncodePng(byte[] gray48)
    {
        var info = new SKImageInfo(48, 48, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(gray48, 0, bitmap.GetPixels(), gray48.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Relative path of a row as laid out in a labelled folder: "happy/publictest-00012.png".</summary>
    public static string RelativePath(Row row) => $"{EmotionLabels.Name(row.Label)}/publictest-{row.Index:00000}.png";

    /// <summary>Uploads each row's PNG under <paramref name="folder"/>, laid out as <see cref="RelativePath"/> says.</summary>
    public static async Task UploadAsync(BlobContainerClient container, string folder, IEnumerable<Row> rows)
    {
        foreach (var row in rows)
            await container.UploadBlobAsync($"{folder}/{RelativePath(row)}", BinaryData.FromBytes(EncodePng(row.Gray48)));
    }

    /// <summary>The samples/ selection: the first <paramref name="perLabel"/> rows of each emotion, in file order.</summary>
    public static IReadOnlyList<Row> FirstPerLabel(IReadOnlyList<Row> rows, int perLabel) =>
        rows.GroupBy(r => r.Label).SelectMany(g => g.Take(perLabel)).OrderBy(r => r.Index).ToList();
}
