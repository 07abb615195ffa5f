namespace Fer.Tests.Support;

/// <summary>Locates the repository (the folder holding FerBatch.sln) from the test output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");
    public static string PublicTestSlice => Path.Combine(Fixtures, "publictest-slice.csv.gz");
    public static string ShippedModel => Path.Combine(Root, "models", "fer-cnn.onnx");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FerBatch.sln")))
                return dir.FullName;
        throw new InvalidOperationException("FerBatch.sln not found above " + AppContext.BaseDirectory);
    }
}
