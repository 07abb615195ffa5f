namespace Fer.Reporting.Rendering;

/// <summary>
/// Reads an image of the dataset by its stored path (relative to the dataset folder); null when it is gone.
/// Supplied by the caller, since only it knows where the images live (a blob container, a local folder).
/// </summary>
public delegate Task<byte[]?> ReportImageSource(string path, CancellationToken cancellationToken);
