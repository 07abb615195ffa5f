using Fer.Cli.Commands;
using static Fer.Tests.Exports.ExportExpectations;

namespace Fer.IntegrationTests.Exports;

/// <summary><c>fer export --connection</c> against the real PostgreSQL: the same rows as from SQLite, read by a real parser.</summary>
public sealed class PostgresExportTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new(); // a fresh migrated database per test
    private Dictionary<(string, int), Fer.Data.Entities.Prediction> _expected = [];

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CreateContext();
        var id = await KnownResults.SeedAsync(db);
        await AddHostilePhotoAsync(db, id);
        _expected = await ExpectedRowsAsync(db, id);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Csv_from_postgres_has_every_scored_face_once_and_the_hostile_path_intact()
    {
        var result = await CliRunner.RunAsync("export", KnownResults.DatasetName, "--connection", _database.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        var rows = ParseCsv(result.Output);
        Assert.Equal(13, rows.Count);
        Assert.Equal(_expected.Keys.Order(), rows.Select(r => (r["path"], int.Parse(r["face_index"]))).Order());
        foreach (var row in rows)
            AssertMatches(_expected[(row["path"], int.Parse(row["face_index"]))], c => row[c]);
        Assert.Equal(2, rows.Count(r => r["path"] == HostilePath));
    }

    [Fact]
    public async Task Jsonl_file_from_postgres_parses_line_by_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"fer-pg-export-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = await CliRunner.RunAsync("export", "local/" + KnownResults.DatasetName, "--connection", _database.ConnectionString, "--out", file);

            Assert.True(result.ExitCode == 0, result.Error);
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(13, lines.Length);
            Assert.Equal(_expected.Keys.Order(), lines.Select(l => JsonDocument.Parse(l).RootElement)
                .Select(r => (r.GetProperty("path").GetString()!, r.GetProperty("face_index").GetInt32())).Order());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_unknown_dataset_on_postgres_lists_the_known_ones()
    {
        var result = await CliRunner.RunAsync("export", "nope", "--connection", _database.ConnectionString);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("error: no dataset named 'nope'; known datasets: faces, faces-other", result.Error.Trim());
    }
}
