namespace Fer.Faults;

/// <summary>Command line and environment of one suite run.</summary>
public sealed class FaultSettings
{
    public required string RepoRoot { get; init; }
    public string RunId { get; } = DateTime.UtcNow.ToString("MMddHHmmss") + Guid.NewGuid().ToString("N")[..4];
    public string WorkDirectory => Path.Combine(Path.GetTempPath(), "fer-faults");
    public string WorkerDll => Path.Combine(RepoRoot, "src", "Fer.Worker", "bin", "Release", "net10.0", "Fer.Worker.dll");
    public string IngestDll => Path.Combine(RepoRoot, "src", "Fer.Ingest", "bin", "Release", "net10.0", "Fer.Ingest.dll");
    public string ReportsDll => Path.Combine(RepoRoot, "src", "Fer.Reports", "bin", "Release", "net10.0", "Fer.Reports.dll");
    public string CliDll => Path.Combine(RepoRoot, "src", "Fer.Cli", "bin", "Release", "net10.0", "fer.dll");
    public string Model => Path.Combine(RepoRoot, Fer.Inference.ModelLocator.DefaultModelPath);
    public string Slice => Path.Combine(RepoRoot, "tests", "fixtures", "publictest-slice.csv.gz");

    public string Postgres { get; init; } = TestServices.Postgres;
    public string RabbitMq { get; init; } = TestServices.RabbitMq;
    public string Blob { get; init; } = TestServices.Blob;

    /// <summary>Faces per scenario folder (3 unscorable files are added to each).</summary>
    public int Images { get; set; } = 800;
    public int Workers { get; set; } = 2;
    public int MessageLimit { get; set; } = 16;
    /// <summary>Scenario names to run (all when empty).</summary>
    public HashSet<string> Only { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Write the table as Markdown here.</summary>
    public string? MarkdownOut { get; set; }
    /// <summary>Leave the database and container behind for inspection.</summary>
    public bool Keep { get; set; }
    /// <summary>Scale mode: one fault-free run of this many faces, peak memory of each host printed.</summary>
    public int? Scale { get; set; }
    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromMinutes(3);
    /// <summary>
    /// The sweeper's Fer:Sweeper:RepublishUnfinishedAfter; null leaves it off. The sweeper acts on it only when the work
    /// queue has drained, so a backlog that takes far longer than this to score is not re-published.
    /// </summary>
    public TimeSpan? RepublishUnfinishedAfter { get; set; } = TimeSpan.FromMinutes(1);

    public static FaultSettings Parse(string[] args, string repoRoot)
    {
        var settings = new FaultSettings { RepoRoot = repoRoot };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--images": settings.Images = int.Parse(Next()); break;
                case "--workers": settings.Workers = int.Parse(Next()); break;
                case "--message-limit": settings.MessageLimit = int.Parse(Next()); break;
                case "--only": foreach (var name in Next().Split(',', StringSplitOptions.RemoveEmptyEntries)) settings.Only.Add(name); break;
                case "--markdown": settings.MarkdownOut = Next(); break;
                case "--keep": settings.Keep = true; break;
                case "--scale": settings.Scale = int.Parse(Next()); break;
                case "--settle-timeout": settings.SettleTimeout = TimeSpan.FromSeconds(int.Parse(Next())); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        return settings;
    }
}
