namespace Fer.Core.Datasets;

/// <summary>What <see cref="LabelledFolderReader"/> found: the labelled images, and the files it skipped because they are not images.</summary>
public sealed record LabelledFolder(string Root, IReadOnlyList<LabelledImage> Images, IReadOnlyList<string> IgnoredFiles)
{
    /// <summary>Sub-folders that are not a label and hold no image (code, notes), left out.</summary>
    public IReadOnlyList<string> SkippedFolders { get; init; } = [];
}
