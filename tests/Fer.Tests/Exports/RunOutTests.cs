namespace Fer.Tests.Exports;

/// <summary><c>fer run --out</c>: the finished run's faces land in the file, its format from the extension.</summary>
public sealed class RunOutTests : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Run_with_out_jsonl_writes_one_line_per_scored_image()
    {
        var folder = Path.Combine(_work.Path, "faces");
        var rows = Fer2013Csv.SliceRows(8);
        FaceFolders.WritePngs(folder, rows);
        var database = Path.Combine(_work.Path, "results.db");
        var export = Path.Combine(_work.Path, "exports", "results.jsonl");

        var result = await CliRunner.RunAsync("run", folder, "--db", database, "--model", RepoPaths.ShippedModel, "--out", export).WaitAsync(RunLimit);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var lines = await File.ReadAllLinesAsync(export);
        Assert.Equal(8, lines.Length);
        var paths = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()).ToList();
        Assert.Equal(rows.Select(r => $"{Fer.Core.Labels.EmotionLabels.Name(r.Label)}/row-{r.LineNumber:D4}.png").Order(StringComparer.Ordinal), paths);
        Assert.Contains($"Exported 8 rows to {export}", result.Output);
    }

    [Fact]
    public async Task Run_with_an_unknown_out_extension_stops_before_scoring()
    {
        var folder = Path.Combine(_work.Path, "faces");
        FaceFolders.WritePngs(folder, Fer2013Csv.SliceRows(1));
        var database = Path.Combine(_work.Path, "results.db");

        var result = await CliRunner.RunAsync("run", folder, "--db", database, "--out", "results.xlsx");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--out results.xlsx: unknown extension; use .csv, .jsonl, .ndjson, .parquet", result.Error);
        Assert.False(File.Exists(database));
    }
}
