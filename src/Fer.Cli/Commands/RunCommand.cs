using System.CommandLine;
using Fer.Cli.Export;
using Fer.Cli.Output;
using Fer.Inference;
using Fer.Data;
using Fer.ImageSources;
using Fer.Pipeline.Embedded;
using Spectre.Console;

namespace Fer.Cli.Commands;

/// <summary><c>fer run &lt;folder&gt;</c>: classify a local folder with no servers (in-memory bus, SQLite), then summarise.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Local folder of images; images in a folder named after an emotion (happy/, sad/ ...) are labelled" };
        var db = new Option<string?>("--db") { Description = "SQLite file for the results (default: fer-results.db beside the folder)" };
        var model = new Option<string>("--model")
        {
            Description = "ONNX model file",
            DefaultValueFactory = _ => ModelLocator.DefaultModelPath,
        };
        var faces = CommonOptions.Faces();
        var followLinks = new Option<bool>("--follow-links")
        {
            Description = "Follow symbolic links whose target lies inside the folder (links out of it and link cycles are still refused); default: links are reported and not followed",
        };
        var detector = CommonOptions.Detector();
        var name = new Option<string?>("--name")
        {
            Description = "Name to store the dataset under, for SQL and `fer report <name>` (default: the folder's own name, e.g. samples)",
        };
        var export = new Option<string?>("--out")
        {
            Description = $"Also write every scored face to this file when the run completes; the format follows the extension ({ExportFormats.KnownExtensions})",
        };
        export.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } file && ExportFormats.FromPath(file) is null)
                result.AddError($"--out {file}: unknown extension; use {ExportFormats.KnownExtensions}");
        });
        var command = new Command("run", "Classify a local folder end to end without servers and store the results in SQLite")
        {
            folder, db, model, faces, detector, followLinks, name, export,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var console = ConsoleFor.Writer(output);
            var path = parseResult.GetRequiredValue(folder);
            if (File.Exists(path))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                    $"error: fer run expects a folder, and {path} is a file; to classify one image: fer classify {path}");
                return 2;
            }
            if (!Directory.Exists(path))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: folder not found: {path}");
                return 2;
            }
            var options = new EmbeddedRunOptions(path, parseResult.GetValue(db) ?? EmbeddedRunOptions.DefaultDatabasePath(path))
            {
                ModelPath = parseResult.GetRequiredValue(model),
                Faces = parseResult.GetValue(faces) ?? Fer.Inference.Faces.FaceMode.Auto,
                FollowLinks = parseResult.GetValue(followLinks),
                Detector = parseResult.GetValue(detector) ?? Fer.Inference.Faces.FaceDetectorKind.BlazeFace,
                Name = string.IsNullOrWhiteSpace(parseResult.GetValue(name)) ? null : parseResult.GetValue(name)!.Trim(),
            };
            var error = parseResult.InvocationConfiguration.Error;
            using var signals = new StopSignals(error);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
            try
            {
                EmbeddedRunSummary? summary = null;
                if (!console.Profile.Capabilities.Interactive)
                {
                    // A log file or a pipe gets a line per step, not a redrawn bar it cannot show.
                    summary = await EmbeddedRunner.RunAsync(options, new PlainProgress(output), stop.Token);
                }
                else
                {
                    await console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .StartAsync(async ctx =>
                        {
                            var task = ctx.AddTask("Classifying", maxValue: 1);
                            var progress = new Progress<EmbeddedRunProgress>(p =>
                            {
                                task.MaxValue = Math.Max(1, p.Total);
                                task.Value = p.Done;
                            });
                            summary = await EmbeddedRunner.RunAsync(options, progress, stop.Token);
                            if (!summary.Interrupted)
                                task.Value = task.MaxValue;
                        });
                }
                if (summary!.Interrupted)
                {
                    // Stopped mid-listing, the counts cover only the files reached so far; say so rather than under-count.
                    var unlisted = summary.ListingUnfinished ? ", the rest of the folder not listed yet" : "";
                    await error.WriteLineAsync($"interrupted: {summary.Finished} scored, {summary.Pending} pending{unlisted}; run the same command again to resume");
                    return ExitCodes.Interrupted;
                }
                if (summary.Total == 0)
                {
                    // An all-zero table says nothing; say what was looked for and where.
                    var skipped = summary.Listing is { TotalSkipped: > 0 } listing ? $"; {listing.TotalSkipped} other entries were skipped" : "";
                    await error.WriteLineAsync($"error: no images found in {path} (looked for {ImageFileNames.ExtensionList}){skipped}");
                    return 2;
                }
                RunSummaryView.Render(console, summary);
                if (summary.NothingNew)
                    await output.WriteLineAsync($"nothing new in {path}: {summary.Finished} images already scored; no new report written");
                if (parseResult.GetValue(export) is { } exportFile && summary.DatasetId is { } datasetId)
                {
                    await using var results = FerDbContexts.ForSqlite(summary.DatabasePath);
                    var rows = await ExportTarget.WriteAsync(results, datasetId, ExportFormats.FromPath(exportFile)!.Value, exportFile, output, stop.Token);
                    await output.WriteLineAsync($"Exported {rows} rows to {Path.GetFullPath(exportFile)}");
                }
                return 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or TimeoutException or UnauthorizedAccessException)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
