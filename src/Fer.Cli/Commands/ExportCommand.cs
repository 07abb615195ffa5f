using Fer.Cli.Export;

namespace Fer.Cli.Commands;

/// <summary>
/// <c>fer export &lt;dataset&gt;</c>: every scored face of a dataset as CSV, JSON lines or Parquet, from an embedded
/// SQLite file or PostgreSQL, streamed from the database to the output.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset")
        {
            Description = "Dataset name (container/name when the name is in several containers), or the folder an embedded run scored",
        };
        var sqlite = new Option<FileInfo?>("--db") { Description = "Embedded-mode SQLite database file (what fer run wrote)" };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string (distributed mode)" };
        var format = CommonOptions.Choice<ExportFormat>("--format", "Output format (default: from --out's extension, else csv)", defaultText: null);
        var output = new Option<string?>("--out") { Description = "File to write (default: standard output; parquet needs a file)" };

        var command = GuardedCommand.Create("export", "Write every scored face of a dataset as CSV, JSON lines or Parquet: path, face index, box, label, confidence, the seven scores, time, model",
            [dataset, sqlite, connection, format, output], async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(output);
            var chosen = ChosenFormat(parse.GetValue(format), file)!.Value;
            var sqliteFile = parse.GetValue(sqlite);
            if (sqliteFile is not null && !sqliteFile.Exists)
                throw new BadInputException($"{sqliteFile.FullName}: no database file there (fer run writes fer-results.db beside the folder it scores)");
            await using var db = sqliteFile is not null ? FerDbContexts.ForSqlite(sqliteFile.FullName) : FerDbContexts.ForPostgres(parse.GetValue(connection)!);
            var datasetId = await ExportDatasets.FindIdAsync(db, parse.GetRequiredValue(dataset), cancellationToken);
            var count = await ExportTarget.WriteAsync(db, datasetId, chosen, file, parse.InvocationConfiguration.Output, cancellationToken);
            // The data may be on stdout: the count goes to stderr, so a pipe gets the rows alone.
            await parse.InvocationConfiguration.Error.WriteLineAsync(file is null
                ? $"exported {count} rows"
                : $"exported {count} rows to {Path.GetFullPath(file)}");
            return ExitCodes.Success;
        });
        command.Validators.Add(result =>
        {
            if ((result.GetValue(connection) is not null) == (result.GetValue(sqlite) is not null))
                result.AddError("give exactly one of --db <sqlite file> or --connection <postgres>");
            ExportFormat? given;
            try
            {
                given = result.GetValue(format);
            }
            catch (InvalidOperationException)
            {
                return; // --format itself is wrong, and its own error already says so
            }
            var chosen = ChosenFormat(given, result.GetValue(output));
            if (chosen is null)
                result.AddError($"--out {result.GetValue(output)}: unknown extension; use {ExportFormats.KnownExtensions}, or say --format");
            else if (ExportFormats.NeedsFile(chosen.Value) && result.GetValue(output) is null)
                result.AddError("--format parquet writes a file: give --out FILE.parquet");
        });
        return command;
    }

    /// <summary>--format when given; else --out's extension (null when it is not a known one); else CSV.</summary>
    public static ExportFormat? ChosenFormat(ExportFormat? given, string? file) =>
        given ?? (file is null ? ExportFormat.Csv : ExportFormats.FromPath(file));
}
