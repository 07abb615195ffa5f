namespace Fer.Inference.Faces;

/// <summary>The file a face detector loads (a model or a cascade), or why the detector is unavailable without it.</summary>
internal static class DetectorFile
{
    /// <summary>Resolves the configured path as <see cref="ModelLocator"/> does.</summary>
    /// <returns>The path when the file exists; otherwise null, with <paramref name="unavailableReason"/> naming the missing file.</returns>
    public static string? Find(string configuredPath, string description, out string? unavailableReason)
    {
        var path = ModelLocator.Resolve(configuredPath);
        if (File.Exists(path))
        {
            unavailableReason = null;
            return path;
        }
        unavailableReason = $"face detector unavailable: {description} not found: {path}";
        return null;
    }
}
