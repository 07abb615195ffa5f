namespace Fer.Tests.Inference;

/// <summary>On the CPU a large batch runs as several cache-sized session runs; the scores must not depend on the split.</summary>
public class RunBatchSplitTests
{
    [Theory]
    [InlineData(0, false, ClassifierOptions.DefaultCpuRunBatchSize)]
    [InlineData(0, true, int.MaxValue)]
    [InlineData(32, false, 32)]
    [InlineData(32, true, 32)]
    public void Run_batch_size_defaults_to_cache_sized_runs_on_the_cpu_only(int configured, bool onGpu, int expected) =>
        Assert.Equal(expected, new ClassifierOptions { RunBatchSize = configured }.ResolveRunBatchSize(onGpu));

    [Fact]
    public void A_batch_split_into_runs_scores_each_face_as_one_whole_run_does()
    {
        var rows = Fer2013CsvReader.Read(RepoPaths.PublicTestSlice).Take(150).ToList();
        Assert.Equal(150, rows.Count);
        var pixels = new float[rows.Count * FacePreprocessor.PixelCount];
        for (var i = 0; i < rows.Count; i++)
            FacePreprocessor.FromGray48(rows[i].Pixels, pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
        using var whole = new EmotionClassifier(new ClassifierOptions { ModelPath = RepoPaths.ShippedModel, PreferCuda = false, RunBatchSize = int.MaxValue });
        using var split = new EmotionClassifier(new ClassifierOptions { ModelPath = RepoPaths.ShippedModel, PreferCuda = false, RunBatchSize = 64 });
        Assert.Equal(64, split.RunBatchSize);

        var expected = whole.ClassifyRaw(pixels, rows.Count);
        var actual = split.ClassifyRaw(pixels, rows.Count); // runs of 64, 64 and 22 faces

        Assert.Equal(rows.Count * 7, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-5f);
        // The last, short run lands in place: its rows are real probabilities, not left zero.
        Assert.Equal(1f, actual.AsSpan(149 * 7, 7).ToArray().Sum(), 1e-4f);
    }
}
