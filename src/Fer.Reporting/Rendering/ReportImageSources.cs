using Fer.Core.Imaging;
using Fer.ImageSources;

namespace Fer.Reporting.Rendering;

/// <summary>The usual places report thumbnails come from.</summary>
public static class ReportImageSources
{
    /// <summary>Images under a local folder whose layout matches the stored paths (<c>fer report --images</c>).</summary>
    public static ReportImageSource FromFolder(string datasetFolder)
    {
        var root = Path.GetFullPath(datasetFolder);
        return (path, cancellationToken) =>
        {
            var full = Path.GetFullPath(Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar)));
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return Task.FromResult<byte[]?>(null);
            // Same rules as scoring: only a regular file is opened (non-blocking, no link followed), within the limit.
            try
            {
                return Task.FromResult<byte[]?>(LocalFolderImageSource.ReadRegularFile(full, path, expected: null, ImageLimits.Default.MaxEncodedBytes));
            }
            catch (Exception ex) when (ex is ImageNotFoundException or InvalidImageException)
            {
                return Task.FromResult<byte[]?>(null);
            }
        };
    }

    /// <summary>
    /// A dataset's images where the pipeline read them: blob storage, or the embedded run's folder
    /// (<see cref="LocalFolderImageSource"/>). Gone or oversized images give no thumbnail.
    /// </summary>
    public static ReportImageSource FromImageSource(IImageSource images, string container, string dataset) =>
        async (path, cancellationToken) =>
        {
            try
            {
                return await images.ReadAsync(container, ImageFileNames.FullName(dataset, path), ImageLimits.Default.MaxEncodedBytes, cancellationToken);
            }
            catch (Exception ex) when (ex is ImageNotFoundException or InvalidImageException)
            {
                return null;
            }
        };
}
