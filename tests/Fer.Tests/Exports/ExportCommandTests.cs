using Fer.Cli.Export;
using static Fer.Tests.Exports.ExportExpectations;
using Parquet;
using Parquet.Schema;

namespace Fer.Tests.Exports;

/// <summary><c>fer export</c> on an embedded SQLite database: every scored face once, in each format, read back by a real parser.</summary>
public sealed class ExportCommandTests : SqliteDatabaseTest
{
    /// <summary>The known dataset plus a photo with two faces at a hostile path; returns the expected rows by (path, face).</summary>
    private async Task<Dictionary<(string, int), Prediction>> SeedAsync()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        await AddHostilePhotoAsync(db, id);
        return await ExpectedRowsAsync(db, id);
    }

    [Fact]
    public async Task Csv_has_one_record_per_scored_face_and_a_hostile_path_survives_parsing()
    {
        var expected = await SeedAsync();
        var file = Path.Combine(_database.Folder, "out", "results.csv");

        var result = await CliRunner.RunAsync("export", KnownResults.DatasetName, "--db", _database.FilePath, "--out", file);

        Assert.True(result.ExitCode == 0, result.Error);
        // 11 scored crops + 2 faces of the photo; failed, pending and the other dataset's images give no row.
        Assert.Equal(13, expected.Count);
        var rows = ParseCsv(await File.ReadAllTextAsync(file));
        Assert.Equal(13, rows.Count);
        Assert.Equal(expected.Keys.Order(), rows.Select(r => (r["path"], int.Parse(r["face_index"]))).Order());
        Assert.Equal(2, rows.Count(r => r["path"] == HostilePath));
        foreach (var row in rows)
            AssertMatches(expected[(row["path"], int.Parse(row["face_index"]))], c => row[c]);
        // sorted by path, then face, as the README promises
        Assert.Equal(rows.Select(r => r["path"]).Order(StringComparer.Ordinal), rows.Select(r => r["path"]));
        Assert.Contains($"exported 13 rows to {file}", result.Error);
        Assert.False(File.Exists(file + ".partial"));
    }

    [Fact]
    public async Task Jsonl_to_standard_output_is_one_parsable_object_per_line()
    {
        var expected = await SeedAsync();

        var result = await CliRunner.RunAsync("export", KnownResults.DatasetName, "--db", _database.FilePath, "--format", "jsonl");

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(13, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal(ExportRow.Columns, root.EnumerateObject().Select(p => p.Name));
            var key = (root.GetProperty("path").GetString()!, root.GetProperty("face_index").GetInt32());
            AssertMatches(expected[key], c => root.GetProperty(c) is { ValueKind: JsonValueKind.String } s ? s.GetString()! : root.GetProperty(c).GetRawText());
        }
        Assert.Contains(lines, l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString() == HostilePath);
        Assert.Equal("exported 13 rows", result.Error.Trim());
    }

    [Fact]
    public async Task Parquet_reads_back_with_the_same_rows()
    {
        var expected = await SeedAsync();
        var file = Path.Combine(_database.Folder, "results.parquet");

        var result = await CliRunner.RunAsync("export", KnownResults.DatasetName, "--db", _database.FilePath, "--out", file);

        Assert.True(result.ExitCode == 0, result.Error);
        await using var stream = File.OpenRead(file);
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(ExportRow.Columns, reader.Schema.DataFields.Select(f => f.Name));
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
        var paths = new List<string>();
        var confidences = new List<float>();
        var times = new List<DateTime>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var path = new string?[n];
            await group.ReadAsync(fields["path"], path.AsMemory());
            var confidence = new float[n];
            await group.ReadAsync<float>(fields["confidence"], confidence.AsMemory());
            var time = new DateTime[n];
            await group.ReadAsync<DateTime>(fields["scored_at"], time.AsMemory());
            paths.AddRange(path!);
            confidences.AddRange(confidence);
            times.AddRange(time);
        }
        Assert.Equal(13, paths.Count);
        Assert.Equal(2, paths.Count(p => p == HostilePath));
        Assert.Equal(expected.Values.Select(p => p.Confidence).Order(), confidences.Order());
        Assert.All(times, t => Assert.Contains(expected.Values, p => p.ScoredAt.UtcDateTime == t.ToUniversalTime()));
    }

    [Fact]
    public async Task An_unknown_dataset_lists_the_known_ones_and_fails()
    {
        await SeedAsync();

        var result = await CliRunner.RunAsync("export", "fcaes", "--db", _database.FilePath);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("error: no dataset named 'fcaes'; known datasets: faces, faces-other", result.Error.Trim());
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task An_embedded_run_is_found_by_its_folder_name()
    {
        // fer run stores a dataset under its absolute folder path; people type the folder's name.
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db, datasetName: "/data/shoot-2026/faces-march");

        var result = await CliRunner.RunAsync("export", "faces-march", "--db", _database.FilePath);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(11, ParseCsv(result.Output).Count);
    }

    [Fact]
    public async Task A_missing_database_file_is_named()
    {
        var missing = Path.Combine(_database.Folder, "nothing-here.db");
        var result = await CliRunner.RunAsync("export", "faces", "--db", missing);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"error: {missing}: no database file there", result.Error.Trim());
        Assert.False(File.Exists(missing));
    }

    [Theory]
    [InlineData("--format", "xml", "--format: 'xml' is not one of csv, jsonl, parquet")]
    [InlineData("--out", "results.txt", "--out results.txt: unknown extension; use .csv, .jsonl, .ndjson, .parquet, or say --format")]
    [InlineData("--format", "parquet", "--format parquet writes a file: give --out FILE.parquet")]
    public async Task Wrong_format_choices_say_what_is_allowed(string option, string value, string message)
    {
        var result = await CliRunner.RunAsync("export", "faces", "--db", _database.FilePath, option, value);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("Fer.Cli", result.Error);
    }
}
