using Fer.Core.Datasets;

namespace Fer.Core.Evaluation;

/// <summary>
/// A labelled evaluation set opened from a path: a FER2013 CSV (plain or gzip) or a
/// <c>&lt;root&gt;/&lt;label&gt;/&lt;image&gt;</c> folder. Faces stream lazily; CSV format errors surface while enumerating.
/// </summary>
public sealed record LabelledDataset(string Path, string Kind, IEnumerable<LabelledFace> Faces, IReadOnlyList<string> IgnoredFiles)
{
    /// <summary>Sub-folders of a labelled folder that name no emotion and hold no image, skipped.</summary>
    public IReadOnlyList<string> SkippedFolders { get; init; } = [];

    /// <summary>Images found in a labelled folder; null for a CSV, whose rows are only counted as they are read.</summary>
    public int? FolderImageCount { get; init; }

    public const string Fer2013CsvKind = "fer2013-csv";
    public const string FolderKind = "labelled-folder";

    public static LabelledDataset Open(string path)
    {
        if (Directory.Exists(path))
        {
            var folder = LabelledFolderReader.Read(path);
            return new LabelledDataset(path, FolderKind, folder.Images.Select(ImageFileFace.From), folder.IgnoredFiles)
            {
                SkippedFolders = folder.SkippedFolders,
                FolderImageCount = folder.Images.Count,
            };
        }
        if (File.Exists(path))
        {
            var fileName = System.IO.Path.GetFileName(path);
            return new LabelledDataset(path, Fer2013CsvKind, Fer2013CsvReader.Read(path).Select(row => (LabelledFace)Gray48Face.From(row, fileName)), []);
        }
        throw new DatasetFormatException($"{path}: no such file or folder");
    }
}
