using Fer.Inference;

namespace Fer.Testing;

/// <summary>Locates the repository (the folder holding FerBatch.sln) and the files the tests and tools read from it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
        Find(AppContext.BaseDirectory) ?? throw new DirectoryNotFoundException("FerBatch.sln not found above " + AppContext.BaseDirectory));

    /// <summary>The first folder upwards of the test or tool binaries that holds FerBatch.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");
    public static string PublicTestSlice => Path.Combine(Fixtures, "publictest-slice.csv.gz");
    public static string Samples => Path.Combine(Root, "samples");
    /// <summary>The default model (ModelLocator.DefaultModelPath): what a user gets without --model.</summary>
    public static string ShippedModel => Path.Combine(Root, ModelLocator.DefaultModelPath);
    public static string Float32Model => Path.Combine(Root, ModelLocator.Float32ModelPath);
    public static string Int8ModelCard => Path.Combine(Root, "models", "fer-cnn-int8.card.json");

    /// <summary>The first folder holding FerBatch.sln upwards of each start in turn; null when there is none.</summary>
    public static string? Find(params string[] starts)
    {
        foreach (var start in starts)
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "FerBatch.sln")))
                    return dir.FullName;
        return null;
    }
}
