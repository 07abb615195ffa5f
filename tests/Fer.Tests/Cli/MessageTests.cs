using Fer.ImageSources;

namespace Fer.Tests.Cli;

/// <summary>Each wrong or empty input gets a message a person understands: what is wrong, with the path, and what to do.</summary>
public sealed class MessageTests : TempDirectoryTest
{
    // A null content leaves the path missing. {path} in the message stands for the full path given.
    [Theory]
    [InlineData("run", "photo.jpg", "x", "error: fer run expects a folder, and {path} is a file; to classify one image: fer classify {path}")]
    [InlineData("run", "absent", null, "error: folder not found: {path}")]
    [InlineData("classify", "broken.jpg", "garbage", "error: {path}: not a decodable image (unknown or corrupt format)")]
    [InlineData("classify", "absent.png", null, "error: {path}: file not found")]
    public async Task A_wrong_path_gets_one_line_naming_it_and_what_is_wrong(string verb, string name, string? content, string message)
    {
        var path = _temp.File(name, content);
        await CliRunner.AssertBadInputAsync(message.Replace("{path}", path, StringComparison.Ordinal), verb, path);
    }

    [Theory]
    [InlineData("nofolder")]
    [InlineData("fer-images/")]
    public async Task Submit_without_a_folder_says_the_expected_shape(string target)
    {
        await CliRunner.AssertBadInputAsync("error: expected <container>/<folder>, e.g. fer-images/faces-2026-11", "submit", target);
    }

    [Fact]
    public async Task Db_migrate_against_an_unreachable_server_is_one_database_error_line()
    {
        var result = await CliRunner.RunAsync("db", "migrate", "--connection",
            "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=3");
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("error: database: ", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Run_with_a_db_path_sqlite_cannot_create_names_the_problem_before_any_work()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "faces")).FullName;
        var missingParent = Path.Combine(_temp.Path, "no-such-folder", "r.db");
        await CliRunner.AssertBadInputAsync(
            $"error: --db {missingParent}: folder {Path.GetDirectoryName(missingParent)} does not exist; create it first, or pick a file in an existing folder",
            "run", folder, "--db", missingParent);
        await CliRunner.AssertBadInputAsync(
            $"error: --db {_temp.Path} is a folder; give the results file's name, e.g. {Path.Combine(_temp.Path, "fer-results.db")}",
            "run", folder, "--db", _temp.Path);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missingParent)));
    }

    [Fact]
    public async Task Run_on_an_empty_folder_says_what_it_looked_for_and_prints_no_table()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "empty")).FullName;
        _temp.File("empty/notes.txt", "not an image");
        var result = await CliRunner.RunAsync("run", folder, "--db", Path.Combine(_temp.Path, "r.db"), "--model", RepoPaths.ShippedModel);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"error: no images found in {folder} (looked for .png .jpg .jpeg .bmp .gif .webp)", result.Error.Trim());
        Assert.DoesNotContain("Predicted emotion", result.Output);
    }

    [Fact]
    public async Task Run_on_a_folder_of_heic_photos_says_why_they_were_skipped_and_what_to_do()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "iphone")).FullName;
        _temp.File("iphone/IMG_0001.HEIC", "not decoded");
        _temp.File("iphone/IMG_0002.HEIC", "not decoded");
        _temp.File("iphone/notes.txt", "not an image");
        var result = await CliRunner.RunAsync("run", folder, "--db", Path.Combine(_temp.Path, "r.db"), "--model", RepoPaths.ShippedModel);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"error: no images found in {folder} (looked for .png .jpg .jpeg .bmp .gif .webp); 3 other entries were skipped: " +
            $"2 x {SkipReasons.UndecodablePhotoFormat}, 1 x {SkipReasons.NotAnImage}", result.Error.Trim());
    }

    [Theory]
    [InlineData("run", "--faces", "face", "--faces: 'face' is not one of auto, crops, detect")]
    [InlineData("run", "--detector", "mtcnn", "--detector: 'mtcnn' is not one of blazeface, haar")]
    [InlineData("classify", "--faces", "Face", "--faces: 'Face' is not one of auto, crops, detect")]
    public async Task A_wrong_enum_value_lists_the_allowed_ones_without_type_names(string verb, string option, string value, string message)
    {
        var result = await CliRunner.RunAsync(verb, _temp.Path, option, value);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("Fer.Core", result.Error + result.Output);
    }

    [Fact]
    public async Task Help_lists_enum_values_and_no_type_names()
    {
        foreach (var verb in new[] { "run", "classify", "export", "eval", "report", "submit" })
        {
            var result = await CliRunner.RunAsync(verb, "--help");
            Assert.DoesNotContain("Fer.", result.Output);
            Assert.DoesNotContain("FaceMode", result.Output);
        }
        var run = await CliRunner.RunAsync("run", "--help");
        Assert.Contains("--faces <auto|crops|detect>", run.Output);
        Assert.Contains("--detector <blazeface|haar>", run.Output);
        Assert.Contains("--format <csv|jsonl|parquet>", (await CliRunner.RunAsync("export", "--help")).Output);
    }

    [Fact]
    public async Task Classify_takes_a_folder_and_several_files()
    {
        var rows = Fer2013Csv.SliceRows(3);
        FaceFolders.WritePngs(Path.Combine(_temp.Path, "faces"), rows);
        var files = Directory.GetFiles(Path.Combine(_temp.Path, "faces"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

        var folder = await CliRunner.RunAsync("classify", Path.Combine(_temp.Path, "faces"), "--json", "--model", RepoPaths.ShippedModel);
        var several = await CliRunner.RunAsync(["classify", .. files, "--json", "--model", RepoPaths.ShippedModel]);

        foreach (var result in new[] { folder, several })
        {
            Assert.True(result.ExitCode == 0, result.Error);
            var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(files, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("image").GetString()));
        }
    }

    [Fact]
    public async Task Classify_of_an_empty_folder_or_an_unmatched_glob_says_so()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_temp.Path, "none")).FullName;
        var folder = await CliRunner.RunAsync("classify", empty);
        Assert.Equal(ExitCodes.BadInput, folder.ExitCode);
        Assert.StartsWith($"error: no images found in {empty} (looked for .png", folder.Error.Trim());

        var glob = Path.Combine(_temp.Path, "*.jpg");
        var unmatched = await CliRunner.RunAsync("classify", glob);
        Assert.Equal($"error: {glob}: no file matches this pattern", unmatched.Error.Trim());
    }

    [Fact]
    public async Task Run_shows_the_first_failures_and_the_query_that_lists_them_all()
    {
        FaceFolders.WritePngs(Path.Combine(_temp.Path, "it's mine"), Fer2013Csv.SliceRows(2));
        for (var i = 0; i < 12; i++)
            _temp.File($"it's mine/broken-{i:D2}.png", "garbage");
        var database = Path.Combine(_temp.Path, "my results.db");

        var result = await CliRunner.RunAsync("run", Path.Combine(_temp.Path, "it's mine"), "--db", database, "--model", RepoPaths.ShippedModel);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Failed images (10 of 12)", result.Output);
        var line = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("All 12 with their reasons: "));
        Assert.Equal($"All 12 with their reasons: sqlite3 '{database}' \"SELECT path, failure_reason FROM image_status " +
                     "WHERE dataset = 'it''s mine' AND state = 'failed'\"", line.TrimEnd());
        // The query as the shell hands it to sqlite3 (inside double quotes nothing here is expanded): all twelve, with reasons.
        var sql = line[(line.IndexOf('"') + 1)..line.LastIndexOf('"')];
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var reasons = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                reasons.Add(reader.GetString(1));
        Assert.Equal(12, reasons.Count);
        Assert.All(reasons, r => Assert.Equal("not a decodable image (unknown or corrupt format)", r));
    }

    [Fact]
    public async Task Run_with_few_failures_lists_them_all_and_no_query()
    {
        FaceFolders.WritePngs(Path.Combine(_temp.Path, "faces"), Fer2013Csv.SliceRows(2));
        _temp.File("faces/broken.png", "garbage");

        var result = await CliRunner.RunAsync("run", Path.Combine(_temp.Path, "faces"), "--db", Path.Combine(_temp.Path, "r.db"), "--model", RepoPaths.ShippedModel);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Failed images (1)", result.Output);
        Assert.DoesNotContain("with their reasons", result.Output);
    }

    [Fact]
    public async Task Classify_goes_on_past_a_bad_image_and_fails_at_the_end()
    {
        FaceFolders.WritePngs(Path.Combine(_temp.Path, "faces"), Fer2013Csv.SliceRows(1));
        var broken = _temp.File("faces/zz-broken.png", "garbage");

        var result = await CliRunner.RunAsync("classify", Path.Combine(_temp.Path, "faces"), "--json", "--model", RepoPaths.ShippedModel);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: {broken}: not a decodable image (unknown or corrupt format)", result.Error.Trim());
    }

    [Fact]
    public async Task Eval_on_a_folder_without_label_folders_says_so()
    {
        _temp.File("photos/a.png", "x");
        var folder = Path.Combine(_temp.Path, "photos");
        var empty = Directory.CreateDirectory(Path.Combine(_temp.Path, "nothing")).FullName;

        foreach (var path in new[] { empty })
        {
            var result = await CliRunner.RunAsync("eval", "--data", path);
            Assert.Equal(ExitCodes.BadInput, result.ExitCode);
            Assert.StartsWith($"error: no labelled images in {path}: expected images in sub-folders named after an emotion (angry,", result.Error.Trim());
            Assert.DoesNotContain("Accuracy", result.Output);
        }
        // loose images in the root have no label either
        var loose = await CliRunner.RunAsync("eval", "--data", folder);
        Assert.Equal(ExitCodes.BadInput, loose.ExitCode);
        Assert.Contains("no labelled images", loose.Error);
    }

    [Fact]
    public async Task Eval_on_samples_reads_all_42_faces_with_nothing_to_note()
    {
        var result = await CliRunner.RunAsync("eval", "--data", Path.Combine(RepoPaths.Root, "samples"), "--model", RepoPaths.ShippedModel);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("note:", result.Error);
        Assert.Contains("Count: 42", result.Output);
    }

    [Fact]
    public async Task Eval_skips_a_code_folder_among_the_label_folders_and_says_so()
    {
        FaceFolders.WritePngs(Path.Combine(_temp.Path, "faces"), Fer2013Csv.SliceRows(14));
        _temp.File("faces/ReportExample/Program.cs", "class P {}");

        var result = await CliRunner.RunAsync("eval", "--data", Path.Combine(_temp.Path, "faces"), "--model", RepoPaths.ShippedModel);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("note: skipped 1 folder(s) with no images and no emotion name: ReportExample", result.Error);
        Assert.Contains("Count: 14", result.Output);
    }
}
