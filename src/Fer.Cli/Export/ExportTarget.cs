using System.Text;

namespace Fer.Cli.Export;

/// <summary>Where an export goes (a file, or the command's standard output) and in which format; writes it.</summary>
public static class ExportTarget
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Streams the dataset's rows into <paramref name="file"/> (written to a temporary name beside it and moved into
    /// place when complete, so a stopped export never leaves a half file under the real name) or into
    /// <paramref name="stdout"/> when no file is given.
    /// </summary>
    /// <returns>the number of rows written</returns>
    public static async Task<long> WriteAsync(FerDbContext db, long datasetId, ExportFormat format, string? file, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        var rows = ResultRows.ReadAsync(db, datasetId);
        if (file is null)
        {
            return format switch
            {
                ExportFormat.Csv => await ResultExporter.WriteCsvAsync(rows, stdout, cancellationToken),
                ExportFormat.Jsonl => await ResultExporter.WriteJsonLinesAsync(rows, stdout, cancellationToken),
                _ => throw new Commands.BadInputException($"{format.ToString().ToLowerInvariant()} is written to a file only: give --out FILE"),
            };
        }

        var path = Path.GetFullPath(file);
        if (Path.GetDirectoryName(path) is { } folder)
            Directory.CreateDirectory(folder);
        var partial = path + ".partial";
        long count;
        try
        {
            await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                if (format == ExportFormat.Parquet)
                {
                    count = await ResultExporter.WriteParquetAsync(rows, stream, cancellationToken);
                }
                else
                {
                    await using var text = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
                    count = format == ExportFormat.Csv
                        ? await ResultExporter.WriteCsvAsync(rows, text, cancellationToken)
                        : await ResultExporter.WriteJsonLinesAsync(rows, text, cancellationToken);
                }
            }
            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        return count;
    }
}
