using Fer.Core.Imaging;
using Fer.Core.IO;
using Fer.ImageSources;

namespace Fer.Cli.Commands;

/// <summary>What <c>fer classify</c> was given, expanded: the image paths in order, notes on what the folders' listings
/// left out, and reads that open only regular files (never blocking on a FIFO, never larger than the image limit).</summary>
public sealed class ClassifyInputs
{
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal);

    private readonly List<string> _paths = [];

    public IReadOnlyList<string> Paths => _paths;

    public List<string> Notes { get; } = [];

    /// <summary>Lists the folders (the rules of <c>fer run</c>) and remembers each file's listing, so a file is read as it was listed.</summary>
    public LocalFolderImageSource Folders { get; } = new();

    /// <summary>A file named on the command line: read as named, its links followed.</summary>
    public void AddNamed(string path) => _paths.Add(path);

    /// <summary>Files a folder's listing found: read through that listing.</summary>
    public void AddListed(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            _listed.Add(path);
            _paths.Add(path);
        }
    }

    /// <summary>The bytes of one path: a listed image through its listing; a file named on the command line after its
    /// links are resolved (the user named it). Failures are <see cref="InvalidImageException"/>s naming the reason.</summary>
    public async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var maxBytes = ImageLimits.Default.MaxEncodedBytes;
        try
        {
            if (_listed.Contains(path))
                return await Folders.ReadAsync(LocalFolderImageSource.Container, path, maxBytes, cancellationToken);
            return LocalFolderImageSource.ReadRegularFile(LocalFileSystem.RealPath(path), path, null, maxBytes);
        }
        catch (EntryAccessException ex)
        {
            throw new InvalidImageException($"file could not be opened: {EntryAccessException.Describe(ex.Errno)}");
        }
        catch (ImageNotFoundException)
        {
            throw new InvalidImageException("file not found: deleted after it was listed");
        }
    }
}
