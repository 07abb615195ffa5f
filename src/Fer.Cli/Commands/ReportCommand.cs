using Fer.ImageSources;
using Fer.Reporting;
using Fer.Reporting.Publishing;
using Fer.Reporting.Rendering;

namespace Fer.Cli.Commands;

/// <summary>
/// <c>fer report &lt;dataset&gt;</c>: builds the evaluation report of a labelled dataset from PostgreSQL or an
/// embedded SQLite file, stores it in the reports table and writes reports/&lt;dataset&gt;/&lt;time&gt;.html|json|md.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "Dataset name (a local folder's own name, e.g. samples), its folder path, or container/name when the name is in several containers" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for the report files (default: beside the SQLite file, or the current folder)" };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string" };
        var sqlite = new Option<FileInfo?>("--db") { Description = "Embedded-mode SQLite database file" };
        var images = new Option<DirectoryInfo?>("--images") { Description = "Folder to take thumbnails of the confident mistakes from (default: an embedded dataset's own folder)" };
        var mistakes = new Option<int>("--mistakes") { Description = "How many confident mistakes to list", DefaultValueFactory = _ => new ReportSettings().MistakeCount };

        var command = GuardedCommand.Create("report", "Evaluation report of a labelled dataset (HTML, JSON, Markdown)",
            [dataset, output, connection, sqlite, images, mistakes], (parse, cancellationToken) => RunAsync(
                parse.GetValue(dataset)!, parse.GetValue(output), parse.GetValue(connection), parse.GetValue(sqlite),
                parse.GetValue(images), parse.GetValue(mistakes), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        command.Validators.Add(result =>
        {
            var hasConnection = result.GetValue(connection) is not null;
            var hasDb = result.GetValue(sqlite) is not null;
            if (hasConnection == hasDb)
                result.AddError("give exactly one of --connection <postgres> or --db <sqlite file>");
            if (result.GetValue(mistakes) < 0)
                result.AddError("--mistakes must not be negative");
        });
        return command;
    }

    private static async Task<int> RunAsync(string datasetName, DirectoryInfo? output, string? connection, FileInfo? sqlite,
        DirectoryInfo? images, int mistakes, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (sqlite is not null && !sqlite.Exists)
            throw new BadInputException($"no database file at {sqlite.FullName}");
        await using var db = sqlite is not null ? FerDbContexts.ForSqlite(sqlite.FullName) : FerDbContexts.ForPostgres(connection!);
        var settings = new ReportSettings
        {
            MistakeCount = mistakes,
            Folder = output?.FullName ?? (sqlite is not null ? sqlite.DirectoryName : null) ?? Directory.GetCurrentDirectory(),
            // --images when given; else, for an embedded database, the dataset's own folder where the run left it.
            ImagesFolder = images?.FullName,
        };
        var datasetId = await DatasetLookup.FindIdAsync(db, datasetName, cancellationToken: cancellationToken, listKnownNames: true);
        var published = await new ReportService(db, settings, images: sqlite is not null ? new LocalFolderImageSource() : null)
            .CreateAsync(datasetId, ReportPublisher.OnDemandTrigger, cancellationToken);
        var report = published.Report;

        await stdout.WriteLineAsync($"dataset   {report.Dataset} ({report.Container})");
        await stdout.WriteLineAsync($"model     {report.ModelName} {ReportFormat.ShortSha(report.ModelSha256)}");
        await stdout.WriteLineAsync($"images    {report.ScoredCount} scored ({report.LabelledCount} labelled), {report.FailedCount} failed, {report.PendingCount} pending");
        await stdout.WriteLineAsync($"accuracy  {ReportFormat.Percent(report.Accuracy)}  balanced {ReportFormat.Percent(report.BalancedAccuracy)}  macro-F1 {ReportFormat.Ratio(report.MacroF1)}" +
                                    (report.Change is { } c ? $"  (accuracy {ReportFormat.PointsDelta(c.AccuracyDelta)} vs previous)" : ""));
        await stdout.WriteLineAsync($"report    #{published.ReportId}");
        await stdout.WriteLineAsync($"html      {published.HtmlLocation}");
        await stdout.WriteLineAsync($"json      {published.JsonLocation}");
        await stdout.WriteLineAsync($"markdown  {published.MarkdownLocation}");
        if (report.LabelledCount == 0)
            await stderr.WriteLineAsync("warning: no scored image of this dataset has a label folder; the metrics are empty");
        return ExitCodes.Success;
    }
}
