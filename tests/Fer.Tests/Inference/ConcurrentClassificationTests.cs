namespace Fer.Tests.Inference;

/// <summary>The classifier shared by a worker's concurrent batches: a bounded number of runs, each giving what a lone run gives.</summary>
public class ConcurrentClassificationTests
{
    [Theory]
    [InlineData(1, 0, 1, 0)]
    [InlineData(2, 0, 2, 0)]
    [InlineData(2, 3, 2, 3)]
    [InlineData(0, 0, 1, 0)]
    public void Threads_are_shared_among_concurrent_runs(int runs, int threads, int expectedRuns, int expectedThreads)
    {
        var options = new ClassifierOptions { MaxConcurrentRuns = runs, IntraOpThreads = threads };
        Assert.Equal(expectedRuns, options.ResolveMaxConcurrentRuns());
        Assert.Equal(expectedThreads > 0 ? expectedThreads : Math.Max(1, Environment.ProcessorCount / expectedRuns), options.ResolveIntraOpThreads());
    }

    [Fact]
    public void Concurrent_batches_get_the_scores_of_sequential_ones()
    {
        using var classifier = new EmotionClassifier(new ClassifierOptions { ModelPath = RepoPaths.ShippedModel, MaxConcurrentRuns = 2, PreferCuda = false });
        Assert.Equal(2, classifier.MaxConcurrentRuns);
        var rows = Fer2013CsvReader.Read(RepoPaths.PublicTestSlice).Take(96).ToList();
        var pixels = new float[rows.Count * FacePreprocessor.PixelCount];
        for (var i = 0; i < rows.Count; i++)
            FacePreprocessor.FromGray48(rows[i].Pixels, pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
        // Six batches of 16 faces, classified alone, then all at once from eight threads.
        float[] Batch(int b) => pixels.AsSpan(b * 16 * FacePreprocessor.PixelCount, 16 * FacePreprocessor.PixelCount).ToArray();
        var sequential = Enumerable.Range(0, 6).Select(b => classifier.ClassifyRaw(Batch(b), 16)).ToArray();
        var concurrent = new float[48][];
        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => concurrent[i] = classifier.ClassifyRaw(Batch(i % 6), 16));
        for (var i = 0; i < concurrent.Length; i++)
            Assert.Equal(sequential[i % 6], concurrent[i]);
    }
}
