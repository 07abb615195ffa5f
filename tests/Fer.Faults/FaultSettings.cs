using System.CommandLine;

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

    // Each setting the command line can change stands with its option, so its default and its help text stay together.

    /// <summary>Faces per scenario folder (3 unscorable files are added to each).</summary>
    public int Images { get; set; } = 800;
    private static readonly Option<int?> ImagesOption = new("--images") { Description = "faces per scenario folder (default 800; 3 unscorable files are added to each)" };

    public int Workers { get; set; } = 2;
    private static readonly Option<int?> WorkersOption = new("--workers") { Description = "worker processes (default 2)" };

    public int MessageLimit { get; set; } = 16;
    private static readonly Option<int?> MessageLimitOption = new("--message-limit") { Description = "the workers' batch size (default 16)" };

    /// <summary>Scenario names to run (all when empty).</summary>
    public HashSet<string> Only { get; } = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Option<string?> OnlyOption = new("--only") { Description = "scenario names to run, comma-separated (default: all)" };

    /// <summary>Write the table as Markdown here.</summary>
    public string? MarkdownOut { get; set; }
    private static readonly Option<string?> MarkdownOption = new("--markdown") { Description = "also write the table as Markdown to this file" };

    /// <summary>Leave the database and container behind for inspection.</summary>
    public bool Keep { get; set; }
    private static readonly Option<bool> KeepOption = new("--keep") { Description = "leave the database and container behind for inspection" };

    /// <summary>Scale mode: one fault-free run of this many faces, peak memory of each host printed.</summary>
    public int? Scale { get; set; }
    private static readonly Option<int?> ScaleOption = new("--scale") { Description = "one fault-free run of N faces, peak memory of each host printed" };

    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromMinutes(3);
    private static readonly Option<int?> SettleTimeoutOption = new("--settle-timeout") { Description = "seconds a scenario may take to settle (default 180)" };

    /// <summary>
    /// The sweeper's Fer:Sweeper:RepublishUnfinishedAfter; null leaves it off. The sweeper acts on it only when the work
    /// queue has drained, so a backlog that takes far longer than this to score is not re-published.
    /// </summary>
    public TimeSpan? RepublishUnfinishedAfter { get; set; } = TimeSpan.FromMinutes(1);

    private static RootCommand Command() => new("fer-faults: breaks hosts and services under a real pipeline and checks nothing is lost or duplicated")
    {
        ImagesOption, WorkersOption, MessageLimitOption, OnlyOption, MarkdownOption, KeepOption, ScaleOption, SettleTimeoutOption,
    };

    /// <summary>
    /// Parses the command line; on --help or a bad argument prints what System.CommandLine prints, sets
    /// <paramref name="exitCode"/> and returns false (nothing runs).
    /// </summary>
    public static bool TryParse(string[] args, string repoRoot, out FaultSettings settings, out int exitCode)
    {
        settings = new FaultSettings { RepoRoot = repoRoot };
        if (Command().ParseToRun(args, out exitCode) is not { } parsed)
            return false;
        settings.Images = parsed.GetValue(ImagesOption) ?? settings.Images;
        settings.Workers = parsed.GetValue(WorkersOption) ?? settings.Workers;
        settings.MessageLimit = parsed.GetValue(MessageLimitOption) ?? settings.MessageLimit;
        foreach (var name in (parsed.GetValue(OnlyOption) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            settings.Only.Add(name);
        settings.MarkdownOut = parsed.GetValue(MarkdownOption);
        settings.Keep = parsed.GetValue(KeepOption);
        settings.Scale = parsed.GetValue(ScaleOption);
        if (parsed.GetValue(SettleTimeoutOption) is { } seconds)
            settings.SettleTimeout = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
