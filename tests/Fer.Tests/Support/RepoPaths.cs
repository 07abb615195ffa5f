namespace Fer.Tests.Support;

/// <summary>Locates the repository (the folder holding FerBatch.sln) from the test output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");
    public static string PublicTestSlice => Path.Combine(Fixtures, "publictest-slice.csv.gz");
    /// <summary>The default model (ModelLocator.DefaultModelPath): what a user gets without --model.</summary>
    public static string ShippedModel => Path.Combine(Root, Fer.Inference.ModelLocator.DefaultModelPath);
    public static string Float32Model => Path.Combine(Root, Fer.Inference.ModelLocator.Float32ModelPath);
    public static string Int8ModelCard => Path.Combine(Root, "models", "fer-cnn-int8.card.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FerBatch.sln")))
                return dir.FullName;
        throw new InvalidOperationException("FerBatch.sln not found above " + AppContext.BaseDirectory);
    }
}
