namespace Fer.Core.Datasets;

/// <summary>Files in a dataset folder that are instructions, not images.</summary>
public static class DatasetMarkers
{
    /// <summary>A folder holding this file has face crops already: the face locator is skipped.</summary>
    public const string Crops = ".fer-crops";

    /// <summary>The default name of the file that says a folder is complete (<c>Fer:Ingest:ReadyMarker</c>).</summary>
    public const string Ready = "_READY";

    /// <summary>True for a marker's file name: asked for by name, so neither an image nor a file worth reporting as skipped.</summary>
    public static bool IsMarker(string fileName) => fileName is Crops or Ready;
}
