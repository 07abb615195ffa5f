namespace Fer.ImageSources;

/// <summary>
/// Where images live: blob storage in distributed mode, a local folder in embedded mode.
/// A dataset is a top-level folder of a container; listings come in pages so 100k names are never held at once.
/// </summary>
public interface IImageSource
{
    /// <summary>Image files (by extension, markers excluded) anywhere below <paramref name="dataset"/>, page by page.</summary>
    IAsyncEnumerable<IReadOnlyList<SourceImage>> ListImagesAsync(string container, string dataset, int pageSize, CancellationToken cancellationToken);

    /// <summary>The bytes of one image. Throws <see cref="ImageNotFoundException"/> when it is gone and
    /// <see cref="Fer.Core.Imaging.InvalidImageException"/> when it exceeds <paramref name="maxBytes"/> (checked before reading).</summary>
    Task<byte[]> ReadAsync(string container, string name, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Whether a file (a marker such as <c>.fer-crops</c>) exists.</summary>
    Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken);
}
