using Fer.Core.Evaluation;
using Fer.Inference.Evaluation;

namespace Fer.Tests.Parity;

/// <summary>
/// Proves C# serving reproduces training: the float32 ONNX model, run through the same reader, preprocessing,
/// batching and classifier as <c>fer eval</c>, must give PyTorch's predictions on the fixed PublicTest slice.
/// The expected file is chosen by the model's embedded name, so replacing the model without exporting its
/// fixture fails here instead of passing silently.
/// </summary>
public class ServingParityTests(Float32Model model) : IClassFixture<Float32Model>
{
    private const double AccuracyTolerance = 0.001;
    private const float ProbabilityTolerance = 1e-4f;

    private ParityExpectation LoadExpectation()
    {
        var path = ParityExpectation.PathFor(RepoPaths.Fixtures, model.Classifier.ModelName);
        Assert.True(File.Exists(path),
            $"no parity fixture for model '{model.Classifier.ModelName}': expected {path}; " +
            "export the model with `python3 -m fer_train.export ... --fixtures tests/fixtures`");
        var expectation = ParityExpectation.Load(path);
        Assert.Equal(model.Classifier.ModelName, expectation.Model);
        return expectation;
    }

    [Fact]
    public void Csharp_evaluation_matches_the_pytorch_export_on_the_publictest_slice()
    {
        var expected = LoadExpectation();
        var result = new Evaluator(model.Classifier).Evaluate(LabelledDataset.Open(RepoPaths.PublicTestSlice));

        Assert.Equal(expected.Rows, result.Count);
        Assert.Empty(result.Failures);
        Assert.Equal(expected.Accuracy, result.Confusion.Accuracy, AccuracyTolerance);
        for (var i = 0; i < expected.Rows; i++)
        {
            var face = result.Faces[i];
            Assert.True(expected.Predicted[i] == (int)face.Predicted,
                $"row {i} ({face.Source}): PyTorch predicted {expected.Predicted[i]}, C# predicted {(int)face.Predicted}");
            for (var k = 0; k < 7; k++)
                Assert.True(Math.Abs(expected.Probabilities[i][k] - face.Scores[k]) <= ProbabilityTolerance,
                    $"row {i} ({face.Source}) class {k}: PyTorch {expected.Probabilities[i][k]}, C# {face.Scores[k]}");
        }
        Assert.Equal(expected.Confusion, result.Confusion.ToJagged());
    }

    [Fact]
    public async Task Fer_eval_command_reports_the_exported_accuracy_and_confusion()
    {
        var expected = LoadExpectation();
        var jsonPath = Path.Combine(Path.GetTempPath(), $"fer-parity-{Guid.NewGuid():N}.json");
        try
        {
            var run = await CliRunner.RunAsync("eval", "--data", RepoPaths.PublicTestSlice, "--model", RepoPaths.Float32Model, "--json", jsonPath);
            Assert.Equal(0, run.ExitCode);
            using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
            var root = json.RootElement;
            Assert.Equal(expected.Model, root.GetProperty("model").GetString());
            Assert.Equal(expected.Rows, root.GetProperty("count").GetInt32());
            Assert.Equal(expected.Accuracy, root.GetProperty("accuracy").GetDouble(), AccuracyTolerance);
            Assert.Equal(expected.Confusion,
                root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray());
        }
        finally
        {
            File.Delete(jsonPath);
        }
    }
}
