using System.Globalization;

namespace Fer.Tests.Cli;

public class EvalCommandTests : TempDirectoryTest
{
    private static void AssertOneLineError(CliRunner.CliResult result, string expectedFragment)
    {
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expectedFragment, lines[0]);
        Assert.DoesNotContain(" at ", result.Error); // no stack trace
    }

    [Fact]
    public async Task Missing_data_path_is_one_line_naming_it()
    {
        var path = Path.Combine(_temp.Path, "absent.csv");
        AssertOneLineError(await CliRunner.RunAsync("eval", "--data", path), path);
    }

    [Fact]
    public async Task Wrong_pixel_count_names_file_and_line()
    {
        var path = _temp.File("publictest.csv");
        Fer2013Csv.WritePlain(path, "emotion,pixels", Fer2013Csv.Row(0, 1), Fer2013Csv.Row(3, 1), Fer2013Csv.Row(0, 1, 2303));
        AssertOneLineError(await CliRunner.RunAsync("eval", "--data", path), "publictest.csv:4: expected 2304 pixels, got 2303");
    }

    [Fact]
    public async Task Malformed_label_names_file_and_line()
    {
        var path = _temp.File("labels.csv.gz");
        Fer2013Csv.WriteGzip(path, "emotion,pixels", Fer2013Csv.Row(9, 1));
        AssertOneLineError(await CliRunner.RunAsync("eval", "--data", path), "labels.csv.gz:2: emotion 9 is outside 0-6");
    }

    [Fact]
    public async Task Unknown_label_folder_names_the_folder()
    {
        FaceFolders.WritePngs(_temp.Path, Fer2013Csv.SliceRows(2));
        // A non-label folder with images would drop a class from every metric: an error. (One without images is skipped.)
        File.Copy(Directory.GetFiles(_temp.Path, "*.png", SearchOption.AllDirectories)[0], _temp.File("bored/face.png"));
        AssertOneLineError(await CliRunner.RunAsync("eval", "--data", _temp.Path), Path.Combine(_temp.Path, "bored"));
    }

    [Fact]
    public async Task Missing_model_names_the_model_path()
    {
        var model = Path.Combine(_temp.Path, "none.onnx");
        AssertOneLineError(await CliRunner.RunAsync("eval", "--data", RepoPaths.PublicTestSlice, "--model", model), model);
    }

    [Fact]
    public async Task Corrupt_model_is_bad_input_not_a_crash()
    {
        var model = _temp.File("corrupt.onnx", "not a protobuf");
        var result = await CliRunner.RunAsync("eval", "--data", RepoPaths.PublicTestSlice, "--model", model);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Missing_data_option_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--data", result.Error);
    }

    [Fact]
    public async Task Json_has_the_documented_shape_and_consistent_numbers()
    {
        var jsonPath = Path.Combine(_temp.Path, "out", "metrics.json");
        var result = await CliRunner.RunAsync("eval", "--data", RepoPaths.PublicTestSlice, "--json", jsonPath, "--batch-size", "64");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Count: 300", result.Output);
        Assert.Contains("images/s", result.Output);

        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = json.RootElement;
        Assert.Equal(RepoPaths.PublicTestSlice, root.GetProperty("data").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("model").GetString()));
        Assert.Equal(64, root.GetProperty("model_sha256").GetString()!.Length);
        Assert.Equal(300, root.GetProperty("count").GetInt32());
        Assert.Equal(["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
            root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        var confusion = root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        Assert.Equal(7, confusion.Length);
        Assert.All(confusion, r => Assert.Equal(7, r.Length));
        Assert.Equal(300, confusion.Sum(r => r.Sum()));
        var diagonal = Enumerable.Range(0, 7).Sum(i => confusion[i][i]);
        Assert.Equal(diagonal / 300.0, root.GetProperty("accuracy").GetDouble(), 12);

        var perClass = root.GetProperty("per_class").EnumerateArray().ToList();
        Assert.Equal(7, perClass.Count);
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(root.GetProperty("labels")[i].GetString(), perClass[i].GetProperty("label").GetString());
            Assert.Equal(confusion[i].Sum(), perClass[i].GetProperty("support").GetInt64());
            foreach (var metric in new[] { "precision", "recall", "f1" })
                Assert.InRange(perClass[i].GetProperty(metric).GetDouble(), 0, 1);
        }
        Assert.InRange(root.GetProperty("balanced_accuracy").GetDouble(), 0, 1);
        Assert.InRange(root.GetProperty("macro_f1").GetDouble(), 0, 1);
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Predictions_csv_recomputes_the_reported_accuracy_and_ece()
    {
        var jsonPath = Path.Combine(_temp.Path, "metrics.json");
        var csvPath = Path.Combine(_temp.Path, "out", "predictions.csv");
        var result = await CliRunner.RunAsync("eval", "--data", RepoPaths.PublicTestSlice, "--json", jsonPath, "--predictions", csvPath);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Calibration: ECE ", result.Output);

        var lines = File.ReadAllLines(csvPath);
        Assert.Equal("index,label,predicted,angry,disgust,fear,happy,sad,surprise,neutral", lines[0]);
        var truth = Fer2013CsvReader.Read(RepoPaths.PublicTestSlice).Select(r => EmotionLabels.Name(r.Label)).ToList();
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(300, rows.Count);
        var correct = 0;
        var bins = new (int Count, int Correct, double Sum)[15];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.Equal(10, row.Length);
            Assert.Equal(i, int.Parse(row[0], CultureInfo.InvariantCulture));
            Assert.Equal(truth[i], row[1]);
            var scores = row.Skip(3).Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, scores.Sum(s => (double)s), 4);
            var top = Array.IndexOf(scores, scores.Max());
            Assert.Equal(EmotionLabels.Names[top], row[2]);
            var right = row[1] == row[2];
            correct += right ? 1 : 0;
            // ECE by the textbook definition, independent of CalibrationCurve
            var bin = Math.Min((int)(scores[top] * 15.0), 14);
            bins[bin] = (bins[bin].Count + 1, bins[bin].Correct + (right ? 1 : 0), bins[bin].Sum + scores[top]);
        }
        var ece = bins.Where(b => b.Count > 0).Sum(b => b.Count / 300.0 * Math.Abs((double)b.Correct / b.Count - b.Sum / b.Count));

        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(correct / 300.0, json.RootElement.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(ece, json.RootElement.GetProperty("ece").GetDouble(), 6);
        Assert.InRange(ece, 1e-4, 0.5); // a real model on real faces is neither perfect nor random
        var calibration = json.RootElement.GetProperty("calibration").EnumerateArray().ToList();
        Assert.Equal(15, calibration.Count);
        Assert.Equal(bins.Select(b => (long)b.Count), calibration.Select(b => b.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Folder_eval_reports_undecodable_images_and_excludes_them()
    {
        FaceFolders.WritePngs(_temp.Path, Fer2013Csv.SliceRows(6));
        var broken = _temp.File("fear/broken.png", "\x89PNG but not really");
        _temp.File("fear/readme.txt", "ignored");
        var jsonPath = Path.Combine(_temp.Path, "..", Path.GetFileName(_temp.Path) + "-metrics.json");
        try
        {
            var result = await CliRunner.RunAsync("eval", "--data", _temp.Path, "--json", jsonPath);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Count: 6", result.Output);
            Assert.Contains("1 image(s) could not be decoded", result.Output);
            Assert.Contains(broken, result.Output);
            Assert.Contains("1 file(s) ignored", result.Output);
            using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
            Assert.Equal(6, json.RootElement.GetProperty("count").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("failed").GetInt32());
            Assert.Equal(broken, json.RootElement.GetProperty("failures")[0].GetProperty("source").GetString());
        }
        finally
        {
            File.Delete(jsonPath);
        }
    }
}
