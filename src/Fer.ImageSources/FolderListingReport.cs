using System.Collections.Concurrent;

namespace Fer.ImageSources;

/// <summary>Why a folder entry was not listed as an image. Fixed texts so a summary can count by reason.</summary>
public static class SkipReasons
{
    public const string NamedPipe = "named pipe (FIFO): never opened";
    public const string Socket = "socket: never opened";
    public const string Device = "device file: never opened";
    public const string UnknownType = "not a regular file: never opened";
    public const string LinkNotFollowed = "symbolic link: not followed (fer run --follow-links follows links inside the folder)";
    public const string LinkLoop = "symbolic link loop";
    public const string LinkCycle = "symbolic link to a folder above it (cycle)";
    public const string LinkOutside = "symbolic link to a target outside the folder";
    public const string LinkBroken = "symbolic link to a missing target";
    public const string DuplicateFile = "same file as one already listed (hard link, bind mount or link)";
    public const string DuplicateFolder = "same folder as one already listed (bind mount or link)";
    public const string FolderUnreadable = "folder not readable: permission denied";
    public const string NotAccessible = "entry not accessible: permission denied";
    public const string InvalidName = "name is not valid UTF-8: cannot be opened by name";
    public const string PathTooLong = "path longer than the system limit";
    public const string Vanished = "vanished while the folder was listed";
    public const string Hidden = "hidden or marker name (starts with '.' or '_'): not listed";
    public const string NotAnImage = "not an image file name (extension)";
    public const string UndecodablePhotoFormat = "photo format this build cannot decode (HEIC/HEIF, AVIF, TIFF or camera RAW): convert it to JPEG or PNG";
    public const string OtherError = "could not be examined";

    /// <summary>
    /// "3 other entries were skipped: 2 x …, 1 x …", the most frequent reason first, for the message of a folder in which
    /// nothing was an image (a folder of iPhone photos is all HEIC, and the reason says to convert them); null when none were.
    /// </summary>
    public static string? Summarize(IReadOnlyDictionary<string, int> countsByReason)
    {
        var total = countsByReason.Values.Sum();
        if (total == 0)
            return null;
        return $"{total} other {(total == 1 ? "entry was" : "entries were")} skipped: " + string.Join(", ", countsByReason
            .Where(r => r.Value > 0).OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} x {r.Key}"));
    }
}

/// <summary>One entry left out of a listing, by its path inside the folder.</summary>
public sealed record SkippedEntry(string Path, string Reason, string? Detail = null);

/// <summary>
/// What a local folder listing left out, by reason, with counts and the first few paths of each reason
/// (a folder of a million text files must not keep a million paths in memory).
/// </summary>
public sealed class FolderListingReport
{
    public const int ExamplesPerReason = 5;

    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, List<SkippedEntry>> _examples = new();

    public IReadOnlyDictionary<string, int> CountsByReason => _counts;

    public int TotalSkipped => _counts.Values.Sum();

    /// <summary>Image files listed (regular, image-named, first of their inode).</summary>
    public int ImagesListed { get; internal set; }

    public IReadOnlyList<SkippedEntry> ExamplesOf(string reason) =>
        _examples.TryGetValue(reason, out var list) ? list : [];

    public int CountOf(string reason) => _counts.TryGetValue(reason, out var n) ? n : 0;

    internal void Add(SkippedEntry entry)
    {
        _counts.AddOrUpdate(entry.Reason, 1, (_, n) => n + 1);
        var list = _examples.GetOrAdd(entry.Reason, _ => []);
        lock (list)
            if (list.Count < ExamplesPerReason)
                list.Add(entry);
    }
}
