namespace Fer.Cli.Export;

/// <summary>The file formats <c>fer export</c> and <c>fer run --out</c> write.</summary>
public enum ExportFormat
{
    Csv,
    Jsonl,
    Parquet,
}

public static class ExportFormats
{
    /// <summary>The extensions each format is recognised by (lower case, with the dot).</summary>
    public static readonly IReadOnlyDictionary<string, ExportFormat> ByExtension = new Dictionary<string, ExportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = ExportFormat.Csv,
        [".jsonl"] = ExportFormat.Jsonl,
        [".ndjson"] = ExportFormat.Jsonl,
        [".parquet"] = ExportFormat.Parquet,
    };

    public static string KnownExtensions => string.Join(", ", ByExtension.Keys);

    public static ExportFormat? FromPath(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out var format) ? format : null;

    /// <summary>Parquet ends with a footer that points back into the file, so it needs a file, never a pipe.</summary>
    public static bool NeedsFile(ExportFormat format) => format == ExportFormat.Parquet;
}
