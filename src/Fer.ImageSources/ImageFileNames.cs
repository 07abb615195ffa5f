using Fer.Core.Labels;

namespace Fer.ImageSources;

/// <summary>Which names in a dataset folder are images, and what their parent folder says about their label.</summary>
public static class ImageFileNames
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp",
    };

    // Photo formats people have (an iPhone saves HEIC by default, cameras RAW) that the image decoder cannot read: not
    // listed, but reported as such rather than as "not an image".
    private static readonly HashSet<string> UndecodablePhotoExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".heic", ".heif", ".avif", ".tif", ".tiff", ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".rw2", ".raf",
    };

    /// <summary>".png .jpg ..." for messages.</summary>
    public static string ExtensionList => string.Join(' ', Extensions);

    /// <summary>True for image extensions; false for markers such as <c>_READY</c> and hidden files.</summary>
    public static bool IsImage(string name)
    {
        var fileName = FileNameOf(name);
        return !IsHiddenOrMarker(fileName) && Extensions.Contains(Path.GetExtension(fileName));
    }

    /// <summary>A hidden file or a marker (<c>.fer-crops</c>, <c>_READY</c>): a file name starting with '.' or '_'; never an image.</summary>
    public static bool IsHiddenOrMarker(string fileName) => fileName.Length > 0 && fileName[0] is '.' or '_';

    /// <summary>True for a photo format that is not decodable here (HEIC, AVIF, TIFF, camera RAW), by its extension.</summary>
    public static bool IsUndecodablePhoto(string name) => UndecodablePhotoExtensions.Contains(Path.GetExtension(name));

    /// <summary>Why a listing leaves <paramref name="name"/> out (one of <see cref="SkipReasons"/>), by its name alone; null for an image.</summary>
    public static string? SkipReasonOf(string name)
    {
        if (IsImage(name))
            return null;
        var fileName = FileNameOf(name);
        if (IsHiddenOrMarker(fileName))
            return SkipReasons.Hidden;
        return IsUndecodablePhoto(fileName) ? SkipReasons.UndecodablePhotoFormat : SkipReasons.NotAnImage;
    }

    /// <summary>True for a dataset marker (<c>.fer-crops</c>, <c>_READY</c>) at any depth of <paramref name="name"/>.</summary>
    public static bool IsDatasetMarker(string name) => Fer.Core.Datasets.DatasetMarkers.IsMarker(FileNameOf(name));

    private static string FileNameOf(string name) => name[(name.LastIndexOf('/') + 1)..];

    /// <summary>The emotion named by the image's parent folder ("happy/1.png"), if any.</summary>
    public static Emotion? LabelOf(string relativePath)
    {
        var segments = relativePath.Split('/');
        return segments.Length >= 2 && EmotionLabels.TryParse(segments[^2], out var emotion) ? emotion : null;
    }

    /// <summary>Full name of an image in its container: the dataset folder, then the path inside it.</summary>
    public static string FullName(string dataset, string relativePath) => $"{dataset}/{relativePath}";
}
