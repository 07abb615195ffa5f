using System.Text;

namespace Fer.Reporting.Publishing;

/// <summary>Writes report files under a local root folder (embedded mode, <c>fer report --out</c>), each one atomically.</summary>
public sealed class FolderReportStore(string root) : IReportStore
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Embedded mode keeps reports beside its SQLite database: &lt;db folder&gt;/reports/...</summary>
    public static FolderReportStore NextToDatabase(string sqliteFile) =>
        new(Path.GetDirectoryName(Path.GetFullPath(sqliteFile)) ?? ".");

    public async Task<string> WriteAsync(string relativePath, string content, string contentType, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!fullPath.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"report path escapes the report folder: {relativePath}", nameof(relativePath));
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        // Written beside the target and renamed over it: rename is atomic within a file system, so a reader (or a
        // host killed mid-write) sees the old file, no file or the whole new one, never a truncated one.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await stream.WriteAsync(new UTF8Encoding(false).GetBytes(content), cancellationToken);
                // On disk before the rename, so a power cut cannot leave the new name on an empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        return fullPath;
    }
}
