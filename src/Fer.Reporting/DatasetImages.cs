using Fer.Core.Imaging;
using Fer.ImageSources;

namespace Fer.Reporting;

/// <summary>
/// Where a report reads a dataset's images for the thumbnails of its mistakes: an <see cref="IImageSource"/> (blob
/// storage, or a local folder) and the dataset's folder in one of its containers.
/// </summary>
public sealed record DatasetImages(IImageSource Source, string Container, string Folder)
{
    /// <summary>Images under a local folder whose layout matches the stored paths (<c>fer report --images</c>).</summary>
    public static DatasetImages InFolder(string folder) =>
        new(new LocalFolderImageSource(), LocalFolderImageSource.Container, LocalFolderImageSource.DatasetName(folder));

    /// <summary>
    /// The bytes of the image stored as <paramref name="path"/> (relative to the dataset folder), or null when it is gone,
    /// unreadable, oversized or would lie outside the folder: a missing picture must not cost the whole report.
    /// </summary>
    public async Task<byte[]?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        if (Path.IsPathRooted(path) || path.Split('/', '\\').Contains(".."))
            return null;
        try
        {
            return await Source.ReadAsync(Container, ImageFileNames.FullName(Folder, path), ImageLimits.Default.MaxEncodedBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is ImageNotFoundException or InvalidImageException or IOException or UnauthorizedAccessException
                                       or Azure.RequestFailedException)
        {
            return null;
        }
    }
}
