using System.Text;

namespace Fer.Pipeline.Reports;

/// <summary>Writes report files under a local root folder (embedded mode, <c>fer report --out</c>).</summary>
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
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        await File.WriteAllTextAsync(fullPath, content, new UTF8Encoding(false), cancellationToken);
        return fullPath;
    }
}
