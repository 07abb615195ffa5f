using Fer.Core.Labels;

namespace Fer.Core.Datasets;

/// <summary>
/// Reads the <c>&lt;root&gt;/&lt;label&gt;/&lt;image&gt;</c> layout most FER datasets ship in. Label folders are
/// parsed with <see cref="EmotionLabels.TryParse"/> (any case, synonyms, digits); an unknown label folder holding images is an
/// error, because silently dropping a class would skew every metric; one with no image at all is skipped and listed. Files are picked by extension;
/// whether they decode is the evaluator's business, per image.
/// </summary>
public static class LabelledFolderReader
{
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

    public static LabelledFolder Read(string root)
    {
        if (!Directory.Exists(root))
            throw new DatasetFormatException($"{root}: folder not found");
        var images = new List<LabelledImage>();
        var ignored = new List<string>();
        var skippedFolders = new List<string>();

        // Files lying directly in the root have no label folder.
        ignored.AddRange(Directory.EnumerateFiles(root).Where(f => !IsHidden(f)));

        foreach (var folder in Directory.EnumerateDirectories(root).Where(d => !IsHidden(d)).Order(StringComparer.Ordinal))
        {
            var labelName = Path.GetFileName(folder);
            if (!EmotionLabels.TryParse(labelName, out var label))
            {
                // A folder without a single image (code, notes: samples/ReportExample) drops no class: skip it, say so.
                var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !IsHidden(f)).ToList();
                if (!files.Any(f => ImageExtensions.Contains(Path.GetExtension(f))))
                {
                    skippedFolders.Add(labelName);
                    ignored.AddRange(files);
                    continue;
                }
                throw new DatasetFormatException(
                    $"{folder}: unknown label folder '{labelName}' (expected one of {string.Join(", ", EmotionLabels.Names)}, a synonym, or 0-6)");
            }
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
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

    // Dot files (.DS_Store, .git) are file-system furniture, not data.
    private static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');
}
