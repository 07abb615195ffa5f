namespace Fer.Bench;

/// <summary>What one benchmark run measures: the full run, or the quick one CI uses so the benchmark cannot rot.</summary>
public sealed record BenchSettings
{
    public required bool Quick { get; init; }

    /// <summary>--model-only: the bare rows alone, for the model card (no services, no images uploaded).</summary>
    public bool ModelOnly { get; init; }

    /// <summary>--model: the ONNX file to measure; the shipped default when not given.</summary>
    public string? ModelPath { get; init; }
    public required int ImageCount { get; init; }
    public required int[] WorkerCounts { get; init; }
    public required int ClassifyRequests { get; init; }
    public int[] BatchSizes { get; init; } = [1, 8, 32, 64, 128, 256];

    /// <summary>How long each in-memory measurement (one batch size, decode) runs after warm-up.</summary>
    public required TimeSpan MeasureFor { get; init; }

    public required string RepoRoot { get; init; }
    public required string OutputDirectory { get; init; }
    public string Container { get; init; } = "fer-bench";
    public string RunId { get; init; } = DateTime.UtcNow.ToString("MMddHHmmss");

    public string WorkDirectory => Path.Combine(Path.GetTempPath(), "fer-bench");
    public string WorkerDll => Path.Combine(RepoRoot, "src/Fer.Worker/bin/Release/net10.0/Fer.Worker.dll");
    public string IngestDll => Path.Combine(RepoRoot, "src/Fer.Ingest/bin/Release/net10.0/Fer.Ingest.dll");
    public string FixturePath => Path.Combine(RepoRoot, "tests/fixtures/publictest-slice.csv.gz");

    public static BenchSettings Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var root = ValueOf(args, "--repo") ?? RepoPaths.Find(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
                   ?? throw new InvalidOperationException("FerBatch.sln not found above the bench or the working directory; pass --repo");
        var images = ValueOf(args, "--images") is { } n ? int.Parse(n) : quick ? 600 : 20_000;
        var output = ValueOf(args, "--out") ?? (quick ? Path.Combine(root, "TestResults", "bench-quick") : Path.Combine(root, "bench"));
        return new BenchSettings
        {
            Quick = quick,
            ModelOnly = args.Contains("--model-only"),
            ModelPath = ValueOf(args, "--model") is { } m ? Path.GetFullPath(m) : null,
            ImageCount = images,
            WorkerCounts = ValueOf(args, "--workers") is { } w ? w.Split(',').Select(int.Parse).ToArray() : quick ? [1, 2] : [1, 2, 4],
            ClassifyRequests = ValueOf(args, "--classify") is { } c ? int.Parse(c) : quick ? 100 : 1000,
            MeasureFor = quick ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(3),
            // Large batches of a big model take seconds each on 2 cores; the quick run checks the code path, not the optimum.
            BatchSizes = quick ? [1, 64] : [1, 8, 32, 64, 128, 256],
            RepoRoot = root,
            OutputDirectory = Path.GetFullPath(output),
        };
    }

    private static string? ValueOf(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
