namespace Fer.Reporting.Publishing;

/// <summary>Where rendered report files go: a blob container, or a local folder in embedded mode.</summary>
public interface IReportStore
{
    /// <summary>
    /// Writes one file at a '/'-separated relative path, atomically: a reader sees the whole file or none (or the one it
    /// replaces), never part of it. Returns where it landed (URI or file path).
    /// </summary>
    Task<string> WriteAsync(string relativePath, string content, string contentType, CancellationToken cancellationToken);
}
