using Fer.Cli.Export;
using Fer.Cli.Output;
using Fer.ImageSources;
using Fer.Pipeline.Embedded;

namespace Fer.Cli.Commands;

/// <summary><c>fer run &lt;folder&gt;</c>: classify a local folder with no servers (in-process queue, SQLite), then summarise.</summary>
public static class RunCommand
{
    public static Command Create() =>
        GuardedCommand.Create("run", "Classify a local folder end to end without servers and store the results in SQLite", new RunOptions(), RunAsync);

    private static async Task<int> RunAsync(ParseResult parseResult, RunOptions options, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var console = ConsoleFor.Writer(output);
        var path = parseResult.GetRequiredValue(options.Folder);
        if (FolderProblem(path) is { } problem)
            throw new BadInputException(problem);
        var runOptions = options.ToEmbeddedRunOptions(parseResult, path);
        if (DatabasePathProblem(runOptions.DatabasePath) is { } databaseProblem)
            throw new BadInputException(databaseProblem);
        using var signals = new StopSignals(error);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        EmbeddedRunSummary summary;
        try
        {
            summary = await RunWithProgressAsync(console, output, runOptions, stop.Token);
        }
        catch (TimeoutException ex)
        {
            // A stalled run: images that never leave Pending are the folder's problem (unreadable, stuck), not a bug.
            throw new BadInputException(ex.Message);
        }
        if (summary.Interrupted)
        {
            // Stopped mid-listing, the counts cover only the files reached so far; say so (and how many more the folder
            // holds, when its count came in) rather than under-count.
            var unlisted = !summary.ListingUnfinished ? ""
                : summary.FolderCount is { } inFolder && inFolder >= summary.Total
                    ? $", {inFolder - summary.Total} more not listed yet ({inFolder} in the folder)"
                    : ", the rest of the folder not listed yet";
            await error.WriteLineAsync($"interrupted: {summary.Finished} scored, {summary.Pending} pending{unlisted}; run the same command again to resume");
            return ExitCodes.Interrupted;
        }
        if (summary.Total == 0)
        {
            // An all-zero table says nothing; say what was looked for and where, and why the rest was skipped (a folder
            // of iPhone photos is all HEIC, which the reason says to convert).
            var skipped = summary.Listing is { } listing && SkipReasons.Summarize(listing.CountsByReason) is { } reasons ? $"; {reasons}" : "";
            throw new BadInputException($"no images found in {path} (looked for {ImageFileNames.ExtensionList}){skipped}");
        }
        RunSummaryView.Render(console, summary);
        if (summary.NothingNew)
            await output.WriteLineAsync($"nothing new in {path}: {Counted.Of(summary.Finished, "image")} already scored; no new report written");
        if (parseResult.GetValue(options.Export) is { } exportFile && summary.DatasetId is { } datasetId)
            await ExportRunAsync(summary.DatabasePath, datasetId, exportFile, output, stop.Token);
        return ExitCodes.Success;
    }

    /// <summary>Why <paramref name="path"/> cannot be run (a file, or nothing there), or null when it is a folder.</summary>
    private static string? FolderProblem(string path)
    {
        if (File.Exists(path))
            return $"fer run expects a folder, and {path} is a file; to classify one image: fer classify {path}";
        if (!Directory.Exists(path))
            return $"folder not found: {path}";
        return null;
    }

    /// <summary>Why the results database cannot be created at <paramref name="databasePath"/> (a folder there, or a
    /// parent folder missing), or null; checked up front, since SQLite only says "unable to open database file".</summary>
    private static string? DatabasePathProblem(string databasePath)
    {
        if (Directory.Exists(databasePath))
            return $"--db {databasePath} is a folder; give the results file's name, e.g. {Path.Combine(databasePath, "fer-results.db")}";
        var parent = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
            return $"--db {databasePath}: folder {parent} does not exist; create it first, or pick a file in an existing folder";
        return null;
    }

    private static async Task<EmbeddedRunSummary> RunWithProgressAsync(IAnsiConsole console, TextWriter output, EmbeddedRunOptions options, CancellationToken cancellationToken)
    {
        // A log file or a pipe gets a line per step, not a redrawn bar it cannot show.
        if (!console.Profile.Capabilities.Interactive)
            return await EmbeddedRunner.RunAsync(options, new PlainProgress(output), cancellationToken);

        EmbeddedRunSummary? summary = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("Classifying", maxValue: 1);
                var progress = new Progress<EmbeddedRunProgress>(p =>
                {
                    task.Description = p.StillListing ? $"Classifying ({p.Total:N0} found, still listing)" : "Classifying";
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                summary = await EmbeddedRunner.RunAsync(options, progress, cancellationToken);
                if (!summary.Interrupted)
                    task.Value = task.MaxValue;
            });
        return summary!;
    }

    private static async Task ExportRunAsync(string databasePath, long datasetId, string exportFile, TextWriter output, CancellationToken cancellationToken)
    {
        await using var results = FerDbContexts.ForSqlite(databasePath);
        var rows = await ExportTarget.WriteAsync(results, datasetId, ExportFormats.FromPath(exportFile)!.Value, exportFile, output, cancellationToken);
        await output.WriteLineAsync($"Exported {rows} rows to {Path.GetFullPath(exportFile)}");
    }

    /// <summary>The argument and options of <c>fer run</c>, declared once so the action reads the same objects it registered.</summary>
    private sealed class RunOptions : IVerbOptions
    {
        public Argument<string> Folder { get; } = new("folder") { Description = "Local folder of images; images in a folder named after an emotion (happy/, sad/ ...) are labelled" };
        public Option<string?> Db { get; } = new("--db") { Description = "SQLite file for the results (default: fer-results.db beside the folder)" };
        public Option<string> Model { get; } = new("--model")
        {
            Description = "ONNX model file",
            DefaultValueFactory = _ => ModelLocator.DefaultModelPath,
        };
        public Option<Fer.Inference.Faces.FaceMode?> Faces { get; } = CommonOptions.Faces();
        public Option<bool> FollowLinks { get; } = new("--follow-links")
        {
            Description = "Follow symbolic links whose target lies inside the folder (links out of it and link cycles are still refused); default: links are reported and not followed",
        };
        public Option<Fer.Inference.Faces.FaceDetectorKind?> Detector { get; } = CommonOptions.Detector();
        public Option<string?> Name { get; } = new("--name")
        {
            Description = "Name to store the dataset under, for SQL and `fer report <name>` (default: the folder's own name, e.g. samples)",
        };
        public Option<string?> Export { get; } = ExportOption();

        public IEnumerable<Symbol> Symbols => [Folder, Db, Model, Faces, Detector, FollowLinks, Name, Export];

        private static Option<string?> ExportOption()
        {
            var export = new Option<string?>("--out")
            {
                Description = $"Also write every scored face to this file when the run completes; the format follows the extension ({ExportFormats.KnownExtensions})",
            };
            export.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is { } file && ExportFormats.FromPath(file) is null)
                    result.AddError($"--out {file}: unknown extension; use {ExportFormats.KnownExtensions}");
            });
            return export;
        }

        public EmbeddedRunOptions ToEmbeddedRunOptions(ParseResult parseResult, string path) =>
            new(path, parseResult.GetValue(Db) ?? EmbeddedRunOptions.DefaultDatabasePath(path))
            {
                ModelPath = parseResult.GetRequiredValue(Model),
                Faces = parseResult.GetValue(Faces) ?? Fer.Inference.Faces.FaceMode.Auto,
                FollowLinks = parseResult.GetValue(FollowLinks),
                Detector = parseResult.GetValue(Detector) ?? Fer.Inference.Faces.FaceDetectorKind.BlazeFace,
                Name = string.IsNullOrWhiteSpace(parseResult.GetValue(Name)) ? null : parseResult.GetValue(Name)!.Trim(),
            };
    }
}
