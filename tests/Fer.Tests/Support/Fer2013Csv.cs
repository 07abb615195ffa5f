using System.IO.Compression;
using System.Text;

namespace Fer.Tests.Support;

/// <summary>Writes small FER2013-format CSV files for reader and CLI tests.</summary>
public static class Fer2013Csv
{
    public static string Row(int label, byte[] pixels) => $"{label},{string.Join(' ', pixels)}";

    public static string Row(int label, byte fill, int count = 2304) => $"{label},{string.Join(' ', Enumerable.Repeat(fill, count))}";

    /// <summary>A row whose first pixel token is <paramref name="firstPixel"/>, followed by 2303 valid pixels.</summary>
    public static string RowStartingWith(int label, string firstPixel) => $"{label},{firstPixel} {string.Join(' ', Enumerable.Repeat(1, 2303))}";

    public static void WritePlain(string path, params string[] lines) => File.WriteAllText(path, string.Join('\n', lines) + "\n");

    public static void WriteGzip(string path, params string[] lines)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
    }

    /// <summary>The first <paramref name="count"/> rows of the PublicTest slice fixture.</summary>
    public static IReadOnlyList<Fer2013Row> SliceRows(int count) => Fer2013CsvReader.Read(RepoPaths.PublicTestSlice).Take(count).ToList();
}
