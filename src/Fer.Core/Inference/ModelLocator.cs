namespace Fer.Core.Inference;

/// <summary>Finds the shipped model whether we run from the repo root, a test folder or a published app.</summary>
public static class ModelLocator
{
    public const string DefaultModelPath = "models/fer-cnn.onnx";

    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
            return path;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, path);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return Path.GetFullPath(path);
    }
}
