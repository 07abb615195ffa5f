namespace Fer.IntegrationTests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The repository root: the first folder upwards holding FerBatch.sln.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "FerBatch.sln")))
                    return dir.FullName;
            throw new DirectoryNotFoundException("FerBatch.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string PublicTestSlice => Path.Combine(Root, "tests", "fixtures", "publictest-slice.csv.gz");
    public static string Samples => Path.Combine(Root, "samples");
}
