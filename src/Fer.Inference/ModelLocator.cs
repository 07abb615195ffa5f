namespace Fer.Inference;

/// <summary>Finds the shipped model whether we run from the repo root, a test folder or a published app.</summary>
public static class ModelLocator
{
    /// <summary>
    /// The int8 QDQ export of the shipped network (models/fer-cnn-int8.card.md): about 3x the fp32 model's images/s
    /// on a CPU for 0.25 pp of PublicTest (70.19 % vs 70.44 %, both measured by <c>fer eval</c>).
    /// </summary>
    public const string DefaultModelPath = "models/fer-cnn-int8.onnx";

    /// <summary>The float32 export of the same weights: for GPUs (CUDA runs the QDQ graph in float anyway) and for
    /// anyone who wants the last 0.25 pp; chosen with <c>--model</c> or <c>Model:Path</c>.</summary>
    public const string Float32ModelPath = "models/fer-cnn.onnx";

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
