using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Fer.Core.Imaging;
using Fer.Core.IO;

namespace Fer.ImageSources;

/// <summary>
/// Images on the local disk (embedded mode). The dataset is a folder's absolute path with '/' separators,
/// so an image's full name is its absolute path and the container name is ignored.
/// <para>
/// A folder may hold anything a POSIX file system can, so the listing trusts nothing: every entry is examined with
/// lstat before anything else; only regular files are ever opened (FIFOs, sockets and devices are reported and left
/// alone); symbolic links are not followed unless <see cref="LocalFolderOptions.FollowLinks"/>, and then never out
/// of the folder (by canonical path) nor round a cycle; a file or folder seen before under another name (same device
/// and inode: hard links, bind mounts) is listed once. The walk keeps its own stack, so depth costs no call stack.
/// Reading opens with O_NONBLOCK | O_NOFOLLOW and checks with fstat that the handle is the regular file that was
/// listed, so a name swapped for a pipe or a link after the listing cannot block or lead elsewhere.
/// </para>
/// </summary>
public sealed class LocalFolderImageSource(LocalFolderOptions? options = null) : IImageSource
{
    public const string Container = "local";

    private readonly LocalFolderOptions _options = options ?? new LocalFolderOptions();

    // name -> what was listed: the path to open (links resolved) and the identity the opened handle must have.
    private readonly ConcurrentDictionary<string, ListedFile> _listed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FolderListingReport> _reports = new(StringComparer.Ordinal);

    private sealed record ListedFile(string OpenPath, EntryStatus Status);

    private sealed record Frame(string LogicalPath, string PhysicalPath);

    /// <summary>How a local folder is identified (<see cref="Fer.Data.Entities.Dataset.Path"/>): its absolute path with '/' separators.</summary>
    public static string DatasetName(string folder) => Path.GetFullPath(folder).TrimEnd('/', '\\').Replace('\\', '/');

    /// <summary>What the last listing of <paramref name="dataset"/> left out, by reason; null before it is listed.</summary>
    public FolderListingReport? ListingReport(string dataset) => _reports.GetValueOrDefault(dataset);

    /// <summary>
    /// How many images a listing of the folder finds now, by the same rules, recording nothing (no report, no listed
    /// files). `fer run` counts first so its progress has a total while its own listing, which runs only as far ahead
    /// of the model as the queue holds, is far from the end. Synchronous work: run it off the caller's thread.
    /// </summary>
    public static async Task<int> CountImagesAsync(string dataset, LocalFolderOptions options, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var page in new LocalFolderImageSource(options).ListImagesAsync(Container, dataset, 4096, cancellationToken))
            count += page.Count;
        return count;
    }

    public async IAsyncEnumerable<IReadOnlyList<SourceImage>> ListImagesAsync(string container, string dataset, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var report = new FolderListingReport();
        _reports[dataset] = report;
        var walk = new FolderWalk(dataset, LocalFileSystem.RealPath(dataset), report);
        var stack = new Stack<Frame>();
        stack.Push(new Frame(dataset, walk.Root));
        var page = new List<SourceImage>(pageSize);

        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = stack.Pop();
            // Reverse ordinal order onto the stack: sub-folders are walked in name order, so the listing (and which
            // of two hard links is kept) is the same on every run.
            var subFolders = new List<Frame>();
            foreach (var name in ReadFolder(folder, dataset, report))
            {
                var (subFolder, image) = VisitEntry(walk, folder, name);
                if (subFolder is not null)
                    subFolders.Add(subFolder);
                if (image is null)
                    continue;
                page.Add(image);
                if (page.Count == pageSize)
                {
                    yield return page;
                    page = new List<SourceImage>(pageSize);
                }
            }
            for (var i = subFolders.Count - 1; i >= 0; i--)
                stack.Push(subFolders[i]);
        }
        if (page.Count > 0)
            yield return page;
        await Task.CompletedTask;
    }

    /// <summary>One listing's state: where it started and what it has already seen (by device and inode).</summary>
    private sealed class FolderWalk(string dataset, string root, FolderListingReport report)
    {
        public string Dataset { get; } = dataset;
        public string Root { get; } = root;
        public FolderListingReport Report { get; } = report;
        public HashSet<(ulong, ulong)> SeenFolders { get; } = [LocalFileSystem.LStat(root).Identity];
        public Dictionary<(ulong, ulong), string> SeenFiles { get; } = new();
    }

    /// <summary>
    /// One name in a folder: a sub-folder to walk, an image to list, or neither (then the report says why it was skipped).
    /// </summary>
    private (Frame? SubFolder, SourceImage? Image) VisitEntry(FolderWalk walk, Frame folder, string name)
    {
        var report = walk.Report;
        if (ImageFileNames.IsHiddenOrMarker(name))
        {
            // Markers are asked for by name (.fer-crops) or mean "folder complete" (_READY); other hidden
            // names were never listed and are not now, but the summary says so.
            if (!Fer.Core.Datasets.DatasetMarkers.IsMarker(name))
                report.Add(new SkippedEntry($"{folder.LogicalPath}/{name}"[(walk.Dataset.Length + 1)..], SkipReasons.Hidden));
            return (null, null);
        }
        var logical = $"{folder.LogicalPath}/{name}";
        var physical = $"{folder.PhysicalPath}/{name}";
        var relative = logical[(walk.Dataset.Length + 1)..];
        if (Examine(physical, name, relative, report) is not { } status)
            return (null, null);
        if (status.Kind == EntryKind.SymbolicLink)
        {
            if (!_options.FollowLinks)
            {
                report.Add(new SkippedEntry(relative, SkipReasons.LinkNotFollowed));
                return (null, null);
            }
            if (ResolveLink(physical, folder.PhysicalPath, walk.Root, relative, report) is not { } resolved)
                return (null, null);
            (physical, status) = resolved;
        }
        switch (status.Kind)
        {
            case EntryKind.Directory:
                if (walk.SeenFolders.Add(status.Identity))
                    return (new Frame(logical, physical), null);
                report.Add(new SkippedEntry(relative, SkipReasons.DuplicateFolder));
                return (null, null);
            case EntryKind.Regular:
                return (null, ListFile(walk, name, logical, physical, relative, status));
            default:
                report.Add(new SkippedEntry(relative, SpecialFileReason(status.Kind)));
                return (null, null);
        }
    }

    /// <summary>A regular file: listed when it is an image not seen before under another name, else reported and null.</summary>
    private SourceImage? ListFile(FolderWalk walk, string name, string logical, string physical, string relative, EntryStatus status)
    {
        if (!ImageFileNames.IsImage(name))
        {
            // Hidden names never get here (VisitEntry), so the reason is the extension's.
            walk.Report.Add(new SkippedEntry(relative, ImageFileNames.SkipReasonOf(name)!));
            return null;
        }
        if (walk.SeenFiles.TryGetValue(status.Identity, out var first))
        {
            walk.Report.Add(new SkippedEntry(relative, SkipReasons.DuplicateFile, $"same file as {first}"));
            return null;
        }
        walk.SeenFiles[status.Identity] = relative;
        _listed[logical] = new ListedFile(physical, status);
        walk.Report.ImagesListed++;
        // Size and write time stand in for a blob ETag: either changes when the file is replaced.
        var etag = $"{status.Size:x}-{status.LastWriteUtc.Ticks:x}";
        return new SourceImage(logical, etag, status.Size, new DateTimeOffset(status.LastWriteUtc, TimeSpan.Zero));
    }

    private static List<string> ReadFolder(Frame folder, string dataset, FolderListingReport report)
    {
        var relative = folder.LogicalPath.Length > dataset.Length ? folder.LogicalPath[(dataset.Length + 1)..] : ".";
        try
        {
            var names = Directory.EnumerateFileSystemEntries(folder.PhysicalPath).Select(p => Path.GetFileName(p)).ToList();
            names.Sort(StringComparer.Ordinal);
            return names;
        }
        catch (UnauthorizedAccessException)
        {
            report.Add(new SkippedEntry(relative, SkipReasons.FolderUnreadable));
        }
        catch (PathTooLongException)
        {
            report.Add(new SkippedEntry(relative, SkipReasons.PathTooLong));
        }
        catch (DirectoryNotFoundException)
        {
            report.Add(new SkippedEntry(relative, SkipReasons.Vanished));
        }
        catch (IOException ex)
        {
            report.Add(new SkippedEntry(relative, ex.Message.Contains("too long", StringComparison.OrdinalIgnoreCase)
                ? SkipReasons.PathTooLong : SkipReasons.OtherError, ex.Message));
        }
        return [];
    }

    private static EntryStatus? Examine(string physical, string name, string relative, FolderListingReport report)
    {
        try
        {
            return LocalFileSystem.LStat(physical);
        }
        catch (EntryAccessException ex)
        {
            // .NET decodes names as UTF-8 with U+FFFD for bytes that are not; such a name no longer names the file.
            var reason = ex.Errno switch
            {
                EntryAccessException.ENOENT when name.Contains('\uFFFD') => SkipReasons.InvalidName,
                EntryAccessException.ENOENT => SkipReasons.Vanished,
                EntryAccessException.EACCES or EntryAccessException.EPERM => SkipReasons.NotAccessible,
                EntryAccessException.ENAMETOOLONG => SkipReasons.PathTooLong,
                _ => SkipReasons.OtherError,
            };
            report.Add(new SkippedEntry(relative, reason, reason == SkipReasons.OtherError ? EntryAccessException.Describe(ex.Errno) : null));
            return null;
        }
    }

    // --follow-links: the canonical target must lie strictly inside the canonical root and not contain the link.
    private static (string Physical, EntryStatus Status)? ResolveLink(string link, string parentPhysical, string root, string relative,
        FolderListingReport report)
    {
        string target;
        try
        {
            target = LocalFileSystem.RealPath(link);
        }
        catch (EntryAccessException ex)
        {
            report.Add(new SkippedEntry(relative, ex.Errno switch
            {
                EntryAccessException.ELOOP => SkipReasons.LinkLoop,
                EntryAccessException.ENOENT or EntryAccessException.ENOTDIR => SkipReasons.LinkBroken,
                EntryAccessException.EACCES => SkipReasons.NotAccessible,
                _ => SkipReasons.OtherError,
            }, EntryAccessException.Describe(ex.Errno)));
            return null;
        }
        if (target == root || (parentPhysical + "/").StartsWith(target + "/", StringComparison.Ordinal))
        {
            report.Add(new SkippedEntry(relative, SkipReasons.LinkCycle, $"points to {target}"));
            return null;
        }
        if (!target.StartsWith(root + "/", StringComparison.Ordinal))
        {
            report.Add(new SkippedEntry(relative, SkipReasons.LinkOutside, $"points to {target}"));
            return null;
        }
        try
        {
            return (target, LocalFileSystem.LStat(target));
        }
        catch (EntryAccessException ex)
        {
            report.Add(new SkippedEntry(relative, SkipReasons.LinkBroken, EntryAccessException.Describe(ex.Errno)));
            return null;
        }
    }

    private static string SpecialFileReason(EntryKind kind) => kind switch
    {
        EntryKind.NamedPipe => SkipReasons.NamedPipe,
        EntryKind.Socket => SkipReasons.Socket,
        EntryKind.CharacterDevice or EntryKind.BlockDevice => SkipReasons.Device,
        _ => SkipReasons.UnknownType,
    };

    public Task<byte[]> ReadAsync(string container, string name, long maxBytes, CancellationToken cancellationToken)
    {
        // Not listed by this instance (fer report reading thumbnails): the name itself, which must be a regular file.
        var listed = _listed.GetValueOrDefault(name);
        var path = listed?.OpenPath ?? name;
        try
        {
            return Task.FromResult(ReadRegularFile(path, name, listed?.Status, maxBytes));
        }
        catch (Exception ex)
        {
            return Task.FromException<byte[]>(ex);
        }
    }

    /// <summary>
    /// Reads a file only if it is (still) a regular file: opened without blocking and without following a link, then
    /// checked on the handle. With <paramref name="expected"/> (the listing's lstat) a different inode or size means the
    /// file was replaced or changed after it was listed: a permanent failure with that reason (run again to score the
    /// new content). Growing or shrinking while being read is caught too.
    /// </summary>
    public static byte[] ReadRegularFile(string path, string name, EntryStatus? expected, long maxBytes)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = LocalFileSystem.OpenForReading(path);
        }
        catch (EntryAccessException ex) when (ex.Errno == EntryAccessException.ENOENT || ex.Errno == EntryAccessException.ENOTDIR)
        {
            throw new ImageNotFoundException(name);
        }
        catch (EntryAccessException ex) when (ex.Errno == EntryAccessException.ELOOP)
        {
            throw new InvalidImageException("replaced by a symbolic link after it was listed: not followed");
        }
        catch (EntryAccessException ex) when (ex.Errno is EntryAccessException.EACCES or EntryAccessException.EPERM)
        {
            throw new InvalidImageException("file not readable: permission denied");
        }
        catch (EntryAccessException ex)
        {
            throw new InvalidImageException($"file could not be opened: {EntryAccessException.Describe(ex.Errno)}");
        }
        using (handle)
        {
            var status = LocalFileSystem.FStat(handle, path);
            if (status.Kind != EntryKind.Regular)
                throw new InvalidImageException($"not a regular file when opened ({status.Kind}): never read");
            if (expected is { } listed)
            {
                if (listed.Identity != status.Identity)
                    throw new InvalidImageException("file was replaced after it was listed");
                if (listed.Size != status.Size)
                    throw new InvalidImageException($"file changed size after it was listed ({listed.Size} -> {status.Size} bytes)");
            }
            if (status.Size > maxBytes)
                throw new InvalidImageException($"file of {status.Size} bytes exceeds the limit of {maxBytes}");
            var bytes = RegularFile.ReadExactly(handle, status.Size);
            // A byte past what fstat said: a file still being written shows here rather than as a silent cut.
            Span<byte> probe = stackalloc byte[1];
            if (RandomAccess.Read(handle, probe, bytes.Length) > 0)
                throw new InvalidImageException($"file grew while it was being read (more than {status.Size} bytes)");
            return bytes;
        }
    }

    public Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken)
    {
        // Markers (.fer-crops): a regular file by that name, not a link or a pipe that happens to be called so.
        try
        {
            return Task.FromResult(LocalFileSystem.LStat(name).Kind == EntryKind.Regular);
        }
        catch (EntryAccessException)
        {
            return Task.FromResult(false);
        }
    }
}

/// <summary>How a local folder is listed.</summary>
public sealed record LocalFolderOptions
{
    /// <summary>Follow symbolic links whose canonical target lies inside the folder (never out of it, never round a cycle).</summary>
    public bool FollowLinks { get; init; }
}
