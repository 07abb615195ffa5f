using System.CommandLine;
using Fer.Cli.Output;
using Fer.Core.Inference;
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
        var command = new Command("run", "Classify a local folder end to end without servers and store the results in SQLite") { folder, db, model, faces, detector, followLinks, name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var console = ConsoleFor.Writer(output);
            var path = parseResult.GetRequiredValue(folder);
            if (!Directory.Exists(path))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: folder not found: {path}");
                return 2;
            }
            var options = new EmbeddedRunOptions(path, parseResult.GetValue(db) ?? EmbeddedRunOptions.DefaultDatabasePath(path))
            {
                ModelPath = parseResult.GetRequiredValue(model),
                Faces = parseResult.GetValue(faces),
                FollowLinks = parseResult.GetValue(followLinks),
                Detector = parseResult.GetValue(detector),
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
                    await error.WriteLineAsync($"interrupted: {summary.Finished} scored, {summary.Pending} pending; run the same command again to resume");
                    return ExitCodes.Interrupted;
                }
                RunSummaryView.Render(console, summary);
                return summary.Total == 0 ? 2 : 0;
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
