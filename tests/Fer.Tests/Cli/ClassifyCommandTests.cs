using System.Text.Json;
using Fer.Cli.Commands;
using Fer.Core.Evaluation;
using Fer.Core.Labels;
using Fer.Tests.Support;

namespace Fer.Tests.Cli;

public class ClassifyCommandTests(ShippedModel model) : IClassFixture<ShippedModel>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Json_gives_label_confidence_and_the_same_scores_as_evaluation()
    {
        var row = Fer2013Csv.SliceRows(1)[0];
        var image = _temp.File("face.png");
        File.WriteAllBytes(image, TestImages.EncodeGray(row.Pixels, 48, 48));

        var result = await CliRunner.RunAsync("classify", image, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var scores = json.RootElement.GetProperty("scores");
        Assert.Equal(EmotionLabels.Names, scores.EnumerateObject().Select(p => p.Name));
        var expected = new Evaluator(model.Classifier).Evaluate([Gray48Face.From(row, "slice")]).Faces[0];
        for (var k = 0; k < 7; k++)
            Assert.Equal(expected.Scores[k], scores.GetProperty(EmotionLabels.Names[k]).GetSingle(), 1e-6f);
        Assert.Equal(EmotionLabels.Name(expected.Predicted), json.RootElement.GetProperty("label").GetString());
        Assert.Equal(expected.Scores.Max(), json.RootElement.GetProperty("confidence").GetSingle(), 1e-6f);
    }

    [Fact]
    public async Task Table_output_lists_all_seven_scores()
    {
        var image = _temp.File("face.jpg");
        File.WriteAllBytes(image, TestImages.EncodeRgb(TestImages.Noise(64, 64 * 3, seed: 8), 64, 64, SkiaSharp.SKEncodedImageFormat.Jpeg, 90));
        var result = await CliRunner.RunAsync("classify", image);
        Assert.Equal(0, result.ExitCode);
        Assert.All(EmotionLabels.Names, name => Assert.Contains(name, result.Output));
    }

    [Fact]
    public async Task Undecodable_image_is_one_line_with_the_reason()
    {
        var image = _temp.File("broken.jpg", "garbage");
        var result = await CliRunner.RunAsync("classify", image);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"error: {image}: not a decodable image (unknown or corrupt format)", result.Error.Trim());
    }

    [Fact]
    public async Task Missing_image_is_one_line_with_the_path()
    {
        var image = Path.Combine(_temp.Path, "absent.png");
        var result = await CliRunner.RunAsync("classify", image);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"error: {image}: file not found", result.Error.Trim());
    }
}
