using System.IO.Enumeration;
using Fer.Core.Labels;

namespace Fer.Core.Datasets;

/// <summary>
/// Reads the <c>&lt;root&gt;/&lt;label&gt;/&lt;image&gt;</c> layout most FER datasets ship in. Label folders are
/// parsed with <see cref="EmotionLabels.TryParse"/> (any case, synonyms, digits); an unknown label folder holding images is an
/// error, because silently dropping a class would skew every metric; one with no image at all is skipped and listed. Files are picked by extension;
/// whether they decode is the evaluator's business, per image. Symbolic links are not followed (a link to a folder above
/// would make the walk endless) and are listed as ignored.
/// </summary>
public static class LabelledFolderReader
{
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

    // Compatible's defaults (hidden entries included: dot names are dropped by name below), minus symbolic links.
    private static readonly EnumerationOptions NoLinks = new() { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
    private static readonly EnumerationOptions NoLinksRecursive = new() { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, RecurseSubdirectories = true };

    public static LabelledFolder Read(string root)
    {
        if (!Directory.Exists(root))
            throw new DatasetFormatException($"{root}: folder not found");
        var images = new List<LabelledImage>();
        var ignored = new List<string>();
        var skippedFolders = new List<string>();

        // Files lying directly in the root have no label folder.
        ignored.AddRange(Directory.EnumerateFiles(root, "*", NoLinks).Where(f => !IsHidden(f)));
        ignored.AddRange(Links(root, recursive: false));

        foreach (var folder in Directory.EnumerateDirectories(root, "*", NoLinks).Where(d => !IsHidden(d)).Order(StringComparer.Ordinal))
        {
            var labelName = Path.GetFileName(folder);
            if (!EmotionLabels.TryParse(labelName, out var label))
            {
                // A folder without a single image (code, notes: samples/ReportExample) drops no class: skip it, say so.
                var files = Directory.EnumerateFiles(folder, "*", NoLinksRecursive).Where(f => !IsHidden(f)).ToList();
                if (!files.Any(f => ImageExtensions.Contains(Path.GetExtension(f))))
                {
                    skippedFolders.Add(labelName);
                    ignored.AddRange(files);
                    continue;
                }
                throw new DatasetFormatException(
                    $"{folder}: unknown label folder '{labelName}' (expected one of {string.Join(", ", EmotionLabels.Names)}, a synonym, or 0-6)");
            }
            ignored.AddRange(Links(folder, recursive: true));
            foreach (var file in Directory.EnumerateFiles(folder, "*", NoLinksRecursive).Order(StringComparer.Ordinal))
            {
                if (IsHidden(file))
                    continue;
                if (ImageExtensions.Contains(Path.GetExtension(file)))
                    images.Add(new LabelledImage(file, label));
                else
                    ignored.Add(file);
            }
        }
        return new LabelledFolder(root, images, ignored) { SkippedFolders = skippedFolders };
    }

    /// <summary>The symbolic links the walk leaves out, so the caller can say they were ignored.</summary>
    private static IEnumerable<string> Links(string folder, bool recursive) =>
        new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = recursive })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    // Dot files (.DS_Store, .git) are file-system furniture, not data.
    private static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');
}
