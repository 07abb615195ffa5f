using System.CommandLine;

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
    /// <summary>
    /// Where the hosts come from: bench/run.sh's full run publishes them ReadyToRun for this machine's runtime, as the
    /// Dockerfile does (FER_BENCH_HOSTS names that folder); otherwise the `dotnet build` output.
    /// </summary>
    public string? PublishedHosts { get; init; } = Environment.GetEnvironmentVariable("FER_BENCH_HOSTS") is { Length: > 0 } hosts ? hosts : null;

    public string WorkerDll => PublishedHosts is { } hosts ? Path.Combine(hosts, "worker", "Fer.Worker.dll")
        : Path.Combine(RepoRoot, "src/Fer.Worker/bin/Release/net10.0/Fer.Worker.dll");
    public string IngestDll => PublishedHosts is { } hosts ? Path.Combine(hosts, "ingest", "Fer.Ingest.dll")
        : Path.Combine(RepoRoot, "src/Fer.Ingest/bin/Release/net10.0/Fer.Ingest.dll");

    /// <summary>How the measured code was compiled, for the results.</summary>
    public string HostsBuild => PublishedHosts is null
        ? "`dotnet build` output (IL, JIT-compiled)"
        : "ReadyToRun publish for this runtime (`dotnet publish --use-current-runtime`, as the Dockerfile publishes), bench included";
    public string FixturePath => Path.Combine(RepoRoot, "tests/fixtures/publictest-slice.csv.gz");

    /// <summary>--faces: only the labelled-photo detector comparison (docs/faces.md).</summary>
    public bool Faces { get; init; }

    /// <summary>--detection: only the face-detection rows.</summary>
    public bool Detection { get; init; }

    /// <summary>--embedded-only: the bare rows and the embedded row, no services (iterating on the `fer run` path).</summary>
    public bool EmbeddedOnly { get; init; }

    private static readonly Option<bool> QuickOption = new("--quick") { Description = "the CI run: 600 images, 1/2 workers, 100 requests, written to TestResults/bench-quick" };
    private static readonly Option<bool> ModelOnlyOption = new("--model-only") { Description = "only the bare-model rows (for a model card): no services, no images uploaded" };
    private static readonly Option<FileInfo?> ModelOption = new("--model") { Description = "the ONNX model to measure (default: the shipped default model)" };
    private static readonly Option<int?> ImagesOption = new("--images") { Description = "images per pipeline row (default 20,000; 600 with --quick)" };
    private static readonly Option<string?> WorkersOption = new("--workers") { Description = "worker counts of the distributed rows, comma-separated (default 1,2,4; 1,2 with --quick)" };
    private static readonly Option<int?> ClassifyOption = new("--classify") { Description = "POST /classify requests for the latency row (default 1,000; 100 with --quick)" };
    private static readonly Option<DirectoryInfo?> OutOption = new("--out") { Description = "where results.json and RESULTS.md go (default bench/; TestResults/bench-quick with --quick)" };
    private static readonly Option<DirectoryInfo?> RepoOption = new("--repo") { Description = "the repository root (default: found above the bench or the working directory)" };
    private static readonly Option<bool> FacesOption = new("--faces") { Description = "only BlazeFace vs Haar on tests/fixtures/face-photos, printed" };
    private static readonly Option<bool> DetectionOption = new("--detection") { Description = "only the face-detection rows, printed" };
    private static readonly Option<bool> EmbeddedOnlyOption = new("--embedded-only") { Description = "only the bare rows and the embedded (`fer run`) row: no services" };

    private static RootCommand Command() => new("fer-bench: FerBatch's throughput benchmark (bare model, decode, distributed, embedded, /classify)")
    {
        QuickOption, ModelOnlyOption, ModelOption, ImagesOption, WorkersOption, ClassifyOption, OutOption, RepoOption, FacesOption, DetectionOption, EmbeddedOnlyOption,
    };

    /// <summary>
    /// Parses the command line; on --help or a bad argument prints what System.CommandLine prints, sets
    /// <paramref name="exitCode"/> and returns false (nothing is measured).
    /// </summary>
    public static bool TryParse(string[] args, out BenchSettings settings, out int exitCode)
    {
        settings = null!;
        if (Command().ParseToRun(args, out exitCode) is not { } parsed)
            return false;
        var quick = parsed.GetValue(QuickOption);
        var root = parsed.GetValue(RepoOption)?.FullName ?? RepoPaths.Find(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
                   ?? throw new InvalidOperationException("FerBatch.sln not found above the bench or the working directory; pass --repo");
        var output = parsed.GetValue(OutOption)?.FullName ?? (quick ? Path.Combine(root, "TestResults", "bench-quick") : Path.Combine(root, "bench"));
        settings = new BenchSettings
        {
            Quick = quick,
            ModelOnly = parsed.GetValue(ModelOnlyOption),
            Faces = parsed.GetValue(FacesOption),
            Detection = parsed.GetValue(DetectionOption),
            EmbeddedOnly = parsed.GetValue(EmbeddedOnlyOption),
            ModelPath = parsed.GetValue(ModelOption)?.FullName,
            ImageCount = parsed.GetValue(ImagesOption) ?? (quick ? 600 : 20_000),
            WorkerCounts = parsed.GetValue(WorkersOption) is { } w ? w.Split(',').Select(int.Parse).ToArray() : quick ? [1, 2] : [1, 2, 4],
            ClassifyRequests = parsed.GetValue(ClassifyOption) ?? (quick ? 100 : 1000),
            MeasureFor = quick ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(3),
            // Large batches of a big model take seconds each on 2 cores; the quick run checks the code path, not the optimum.
            BatchSizes = quick ? [1, 64] : [1, 8, 32, 64, 128, 256],
            RepoRoot = root,
            OutputDirectory = Path.GetFullPath(output),
        };
        return true;
    }
}
