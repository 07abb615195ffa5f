using System.Runtime.CompilerServices;
using Fer.Core.Imaging;

namespace Fer.Pipeline.Images;

/// <summary>
/// Images on the local disk (embedded mode). The dataset is a folder's absolute path with '/' separators,
/// so an image's full name is its absolute path and the container name is ignored.
/// </summary>
public sealed class LocalFolderImageSource : IImageSource
{
    public const string Container = "local";

    /// <summary>The dataset name of a local folder.</summary>
    public static string DatasetName(string folder) => Path.GetFullPath(folder).TrimEnd('/', '\\').Replace('\\', '/');

    public async IAsyncEnumerable<IReadOnlyList<SourceImage>> ListImagesAsync(string container, string dataset, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(dataset, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true });
        var page = new List<SourceImage>(pageSize);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = file.Replace('\\', '/');
            if (!ImageFileNames.IsImage(name))
                continue;
            var info = new FileInfo(file);
            // Size and write time stand in for a blob ETag: either changes when the file is replaced.
            var etag = $"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}";
            page.Add(new SourceImage(name, etag, info.Length, info.LastWriteTimeUtc));
            if (page.Count == pageSize)
            {
                yield return page;
                page = new List<SourceImage>(pageSize);
            }
        }
        if (page.Count > 0)
            yield return page;
        await Task.CompletedTask;
    }

    public async Task<byte[]> ReadAsync(string container, string name, long maxBytes, CancellationToken cancellationToken)
    {
        var info = new FileInfo(name);
        if (!info.Exists)
            throw new ImageNotFoundException(name);
        if (info.Length > maxBytes)
            throw new InvalidImageException($"file of {info.Length} bytes exceeds the limit of {maxBytes}");
        return await File.ReadAllBytesAsync(name, cancellationToken);
    }

    public Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken) => Task.FromResult(File.Exists(name));
}
