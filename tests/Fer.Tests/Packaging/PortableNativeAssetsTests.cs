using System.Text.Json;

namespace Fer.Tests.Packaging;

/// <summary>
/// Portable build outputs carry native files only for the platforms ONNX Runtime ships for, and none that serve only
/// linking or debugging (Directory.Build.targets). Read from this project's deps.json, which every build rewrites, so a
/// stale file left in bin/ by an older build cannot make the test pass or fail.
/// </summary>
public sealed class PortableNativeAssetsTests
{
    private static readonly string[] Supported = ["linux-x64", "linux-arm64", "osx", "osx-arm64", "win", "win-x64", "win-arm64"];

    [Fact]
    public void Runtime_assets_are_those_of_the_supported_platforms_without_symbols_or_import_libraries()
    {
        var assets = RuntimeTargets();

        Assert.NotEmpty(assets);
        Assert.All(assets, a => Assert.Contains(a.Rid, Supported));
        Assert.DoesNotContain(assets, a => a.Path.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)
            || a.Path.EndsWith(".lib", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void This_platform_keeps_its_model_runtime_image_decoder_and_database_and_they_are_on_disk()
    {
        var linux = RuntimeTargets().Where(a => a.Rid == "linux-x64").Select(a => Path.GetFileName(a.Path)).ToHashSet();

        Assert.Superset(new HashSet<string> { "libonnxruntime.so", "libSkiaSharp.so", "libe_sqlite3.so" }, linux);
        if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
            Assert.All(linux, file => Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file)), file));
    }

    private static List<(string Rid, string Path)> RuntimeTargets()
    {
        var depsFile = Path.Combine(AppContext.BaseDirectory, "Fer.Tests.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var assets = new List<(string, string)>();
        foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject())
            foreach (var library in target.Value.EnumerateObject())
                if (library.Value.TryGetProperty("runtimeTargets", out var runtimeTargets))
                    foreach (var asset in runtimeTargets.EnumerateObject())
                        assets.Add((asset.Value.GetProperty("rid").GetString()!, asset.Name));
        return assets;
    }
}
