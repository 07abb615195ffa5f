using System.IO.Compression;
using Fer.Core.Imaging;
using Fer.Core.Labels;

namespace Fer.Core.Datasets;

/// <summary>
/// Streams the Kaggle FER2013 CSV layout (<c>emotion,pixels[,Usage]</c>), plain or gzip-compressed.
/// Any malformed row stops the read with a <see cref="DatasetFormatException"/> naming file and line:
/// evaluating on silently skipped rows would report metrics for a different dataset.
/// </summary>
public static class Fer2013CsvReader
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];

    public static IEnumerable<Fer2013Row> Read(string path)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException($"{path}: file not found");
        return ReadExisting(path);
    }

    private static IEnumerable<Fer2013Row> ReadExisting(string path)
    {
        var name = Path.GetFileName(path);
        using var reader = OpenText(path);
        var header = reader.ReadLine();
        if (header is null)
            throw new DatasetFormatException($"{name}:1: empty file, expected a header with 'emotion' and 'pixels'");
        var columns = SplitFields(header).Select(c => c.Trim()).ToArray();
        var emotionColumn = Array.FindIndex(columns, c => c.Equals("emotion", StringComparison.OrdinalIgnoreCase));
        var pixelsColumn = Array.FindIndex(columns, c => c.Equals("pixels", StringComparison.OrdinalIgnoreCase));
        var usageColumn = Array.FindIndex(columns, c => c.Equals("Usage", StringComparison.OrdinalIgnoreCase));
        if (emotionColumn < 0 || pixelsColumn < 0)
            throw new DatasetFormatException($"{name}:1: header must contain 'emotion' and 'pixels', got '{Truncate(header)}'");

        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
                continue; // a trailing newline is not a row
            var fields = SplitFields(line);
            if (fields.Length != columns.Length)
                throw new DatasetFormatException($"{name}:{lineNumber}: expected {columns.Length} columns, got {fields.Length}");
            var label = ParseLabel(fields[emotionColumn], name, lineNumber);
            var pixels = ParsePixels(fields[pixelsColumn], name, lineNumber);
            var usage = usageColumn >= 0 ? fields[usageColumn].Trim() : null;
            yield return new Fer2013Row(lineNumber, label, pixels, usage);
        }
    }

    /// <summary>Gzip is recognised by its magic bytes, so a compressed file without .gz (or the reverse) still reads.</summary>
    private static StreamReader OpenText(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        Stream stream = read == 2 && magic.SequenceEqual(GzipMagic) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    // The Kaggle files have no embedded commas; some copies quote the pixels field.
    private static string[] SplitFields(string line)
    {
        var fields = line.TrimEnd('\r').Split(',');
        for (var i = 0; i < fields.Length; i++)
        {
            var f = fields[i];
            if (f.Length >= 2 && f[0] == '"' && f[^1] == '"')
                fields[i] = f[1..^1];
        }
        return fields;
    }

    private static Emotion ParseLabel(string field, string name, int lineNumber)
    {
        var text = field.Trim();
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw new DatasetFormatException($"{name}:{lineNumber}: emotion '{Truncate(text)}' is not an integer");
        if (value is < 0 or >= EmotionLabels.Count)
            throw new DatasetFormatException($"{name}:{lineNumber}: emotion {value} is outside 0-{EmotionLabels.Count - 1}");
        return (Emotion)value;
    }

    private static byte[] ParsePixels(string field, string name, int lineNumber)
    {
        var pixels = new byte[FacePreprocessor.PixelCount];
        var count = 0;
        var span = field.AsSpan();
        var i = 0;
        while (true)
        {
            while (i < span.Length && span[i] == ' ') i++;
            if (i >= span.Length) break;
            var start = i;
            while (i < span.Length && span[i] != ' ') i++;
            var token = span[start..i];
            if (!int.TryParse(token, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
                throw new DatasetFormatException($"{name}:{lineNumber}: pixel {count + 1} '{Truncate(token.ToString())}' is not an integer");
            if (value is < 0 or > 255)
                throw new DatasetFormatException($"{name}:{lineNumber}: pixel {count + 1} value {value} is outside 0-255");
            if (count < pixels.Length)
                pixels[count] = (byte)value;
            count++;
        }
        if (count != FacePreprocessor.PixelCount)
            throw new DatasetFormatException($"{name}:{lineNumber}: expected {FacePreprocessor.PixelCount} pixels, got {count}");
        return pixels;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
