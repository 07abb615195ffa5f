using Fer.Core.Evaluation;
using Fer.Inference.Evaluation;
using SkiaSharp;

namespace Fer.Tests.Cli;

public class ClassifyCommandTests(ShippedModel model) : TempDirectoryTest, IClassFixture<ShippedModel>
{
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
    public async Task A_photo_gives_every_face_with_its_box_and_an_annotated_copy()
    {
        var boxes = new[] { new FaceBox(60, 80, 150, 150), new FaceBox(330, 60, 220, 220), new FaceBox(660, 120, 180, 180) };
        var image = _temp.File("group.png");
        File.WriteAllBytes(image, ComposedPhoto.Compose(900, 420, ComposedPhoto.FrontalSamples.Zip(boxes)));
        var annotated = _temp.File("out/annotated.png");

        var result = await CliRunner.RunAsync("classify", image, "--json", "--annotate", annotated);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("detected").GetBoolean());
        var faces = json.RootElement.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(3, faces.Count);
        var found = faces.Select(f => f.GetProperty("box")).Select(b => new FaceBox(b.GetProperty("x").GetInt32(), b.GetProperty("y").GetInt32(),
            b.GetProperty("width").GetInt32(), b.GetProperty("height").GetInt32())).ToList();
        Assert.All(boxes, truth => Assert.Contains(found, b => b.Overlap(truth) > 0.5));
        Assert.All(faces, f => Assert.True(f.GetProperty("detector_confidence").GetSingle() > 0));
        Assert.All(faces, f => Assert.Equal(7, f.GetProperty("scores").EnumerateObject().Count()));
        // the top level is the largest face, as for a crop
        Assert.Equal(faces[0].GetProperty("label").GetString(), json.RootElement.GetProperty("label").GetString());

        using var drawn = SKBitmap.Decode(annotated);
        Assert.Equal((900, 420), (drawn.Width, drawn.Height));
        var edge = drawn.GetPixel(found[0].X + found[0].Width / 2, found[0].Y + found[0].Height - 1);
        Assert.Equal(SKColors.Lime, edge.WithAlpha(255));
    }

    [Fact]
    public async Task A_photo_without_a_face_says_so_and_succeeds()
    {
        var image = _temp.File("room.png");
        File.WriteAllBytes(image, ComposedPhoto.Compose(640, 480, []));

        var text = await CliRunner.RunAsync("classify", image);
        var json = await CliRunner.RunAsync("classify", image, "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("no face found", text.Output);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Empty(document.RootElement.GetProperty("faces").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("label").ValueKind);
    }

    [Fact]
    public async Task Faces_crops_classifies_a_big_image_as_one_face()
    {
        var image = _temp.File("room.png");
        File.WriteAllBytes(image, ComposedPhoto.Compose(640, 480, []));

        var result = await CliRunner.RunAsync("classify", image, "--json", "--faces", "crops");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.False(json.RootElement.GetProperty("detected").GetBoolean());
        var face = Assert.Single(json.RootElement.GetProperty("faces").EnumerateArray());
        Assert.Equal(640, face.GetProperty("box").GetProperty("width").GetInt32());
        Assert.Equal(JsonValueKind.Null, face.GetProperty("detector_confidence").ValueKind);
    }
}
