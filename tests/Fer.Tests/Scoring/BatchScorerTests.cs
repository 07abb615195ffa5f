using Fer.Contracts;
using Fer.ImageSources;
using Fer.Pipeline.Scoring;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Scoring;

/// <summary>The worker's scoring stages on a local folder, without a bus or a database.</summary>
public sealed class BatchScorerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly EmotionClassifier _classifier = new(new ClassifierOptions { ModelPath = RepoPaths.ShippedModel, IntraOpThreads = 1, PreferCuda = false });
    private readonly FaceLocator _faces = new(new FaceOptions { Mode = FaceMode.Crops });

    public void Dispose()
    {
        _classifier.Dispose();
        _faces.Dispose();
        _temp.Dispose();
    }

    private BatchScorer Scorer()
    {
        var images = new LocalFolderImageSource();
        return new BatchScorer(images, _classifier, _faces, new CropFolderMarkers(images), Options.Create(new WorkerOptions()));
    }

    private ScoreImage Message(long id, string path) =>
        new(id, DatasetId: 7, LocalFolderImageSource.Container, path, ETag: "e" + id, Dataset: LocalFolderImageSource.DatasetName(_temp.Path));

    [Fact]
    public async Task Each_image_gets_one_outcome_in_order_with_failures_kept_apart_from_the_one_inference_run()
    {
        var rows = Fer2013Csv.SliceRows(5);
        FaceFolders.WritePngs(_temp.Path, rows);
        var crops = Directory.GetFiles(_temp.Path, "*.png", SearchOption.AllDirectories).Order().ToList();
        var corrupt = _temp.File("angry/corrupt.png", "\x89PNG not really");
        var missing = Path.Combine(_temp.Path, "angry", "gone.png");
        var messages = new List<ScoreImage> { Message(1, crops[0]), Message(2, corrupt) };
        messages.AddRange(crops.Skip(1).Select((path, i) => Message(3 + i, path)));
        messages.Add(Message(99, missing));

        var outcomes = await Scorer().ScoreAsync(messages, new ImageSpans(), CancellationToken.None);

        Assert.Equal(messages.Select(m => m.ImageId), outcomes.Select(o => o.ImageId));
        Assert.Equal(ImageState.Failed, outcomes.Single(o => o.ImageId == 2).State);
        Assert.Contains("not a decodable image", outcomes.Single(o => o.ImageId == 2).FailureReason);
        Assert.Equal(ImageState.Failed, outcomes.Single(o => o.ImageId == 99).State);
        Assert.Contains("gone.png", outcomes.Single(o => o.ImageId == 99).FailureReason);

        var scored = outcomes.Where(o => o.Scored).ToList();
        Assert.Equal(5, scored.Count);
        Assert.All(outcomes, o => Assert.Equal(messages.Count, o.BatchSize));
        Assert.Single(scored.Select(o => o.InferenceMs).Distinct()); // one run shared by the batch
        Assert.All(outcomes.Where(o => !o.Scored), o => Assert.Equal(0, o.InferenceMs));

        // The batched scores are the ones a single-image run of the same pixels gives (no mix-up across slots).
        var byPath = messages.ToDictionary(m => m.ImageId, m => m.BlobName);
        foreach (var outcome in scored)
        {
            var pixels = new float[FacePreprocessor.PixelCount];
            FacePreprocessor.Preprocess(File.ReadAllBytes(byPath[outcome.ImageId]), pixels);
            var alone = _classifier.Classify(pixels, 1)[0];
            Assert.Equal(alone.Label, outcome.Prediction!.Label);
            Assert.Equal(alone.Scores, outcome.Prediction.Scores, (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    [Fact]
    public async Task A_batch_of_only_bad_images_runs_no_inference()
    {
        var corrupt = _temp.File("x/corrupt.png", "garbage");
        var outcomes = await Scorer().ScoreAsync([Message(1, corrupt)], new ImageSpans(), CancellationToken.None);
        Assert.Equal(ImageState.Failed, Assert.Single(outcomes).State);
    }
}
