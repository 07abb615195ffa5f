namespace Fer.Core.Datasets;

/// <summary>Files in a dataset folder that are instructions, not images.</summary>
public static class DatasetMarkers
{
    /// <summary>A folder holding this file has face crops already: the face locator is skipped.</summary>
    public const string Crops = ".fer-crops";
}
