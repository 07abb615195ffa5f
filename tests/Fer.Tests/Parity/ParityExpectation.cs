namespace Fer.Tests.Parity;

/// <summary>
/// tests/fixtures/publictest-slice.&lt;model&gt;.expected.json, written by training/fer_train/export.py
/// (write_parity_fixture) from the PyTorch model at export time.
/// </summary>
public sealed record ParityExpectation(string Model, int Rows, double Accuracy, long[][] Confusion, int[] Predicted, float[][] Probabilities)
{
    public static string PathFor(string fixtures, string modelName) => Path.Combine(fixtures, $"publictest-slice.{modelName}.expected.json");

    public static ParityExpectation Load(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        return new ParityExpectation(
            root.GetProperty("model").GetString()!,
            root.GetProperty("rows").GetInt32(),
            root.GetProperty("accuracy").GetDouble(),
            root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray(),
            root.GetProperty("predicted").EnumerateArray().Select(p => p.GetInt32()).ToArray(),
            root.GetProperty("probabilities").EnumerateArray().Select(r => r.EnumerateArray().Select(p => p.GetSingle()).ToArray()).ToArray());
    }
}
