namespace Fer.Tests.Embedded;

/// <summary>
/// A folder mixing face crops, a photo of three faces and a photo of none, through the real ingestor and batch consumer
/// (embedded: in-process queue, SQLite): one row per face, one terminal state per image, NoFace without a failure.
/// </summary>
public sealed class PhotoFolderTests(ShippedModel model) : IClassFixture<ShippedModel>, IDisposable
{
    private static readonly FaceBox[] GroupBoxes = [new(60, 80, 150, 150), new(330, 60, 220, 220), new(660, 120, 180, 180)];
    private static readonly string[] Crops = ["samples/angry/publictest-00000.png", "samples/happy/publictest-00004.png", "samples/sad/publictest-00012.png"];

    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Crops_and_photos_get_one_row_per_face_and_one_terminal_state_each()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "mixed")).FullName;
        foreach (var crop in Crops)
            Copy(crop, folder, Path.Combine(Path.GetFileName(Path.GetDirectoryName(crop)!), Path.GetFileName(crop)));
        var group = ComposedPhoto.Compose(900, 420, ComposedPhoto.FrontalSamples.Zip(GroupBoxes));
        Write(folder, "photos/group.png", group);
        Write(folder, "photos/empty-room.png", ComposedPhoto.Compose(640, 480, []));

        var (summary, images) = await RunAsync(folder, FaceMode.Auto);

        Assert.Equal(5, images.Count);
        foreach (var crop in Crops)
        {
            var image = images[$"{Path.GetFileName(Path.GetDirectoryName(crop))}/{Path.GetFileName(crop)}"];
            Assert.Equal(ImageState.Scored, image.State);
            Assert.Equal(1, image.FaceCount);
            var face = Assert.Single(image.Predictions);
            Assert.Equal((0, 0, 0, 48, 48), (face.FaceIndex, face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height));
            Assert.Null(face.DetectorConfidence);
            Assert.Equal(0, face.Timings.DetectMs);
            // exactly the eval path's scores
            var expected = Classify(File.ReadAllBytes(Path.Combine(RepoPaths.Root, crop)));
            Assert.Equal(expected[0].Scores, face.Scores.ToArray());
        }

        var photo = images["photos/group.png"];
        Assert.Equal(ImageState.Scored, photo.State);
        Assert.Equal(3, photo.FaceCount);
        Assert.Equal([0, 1, 2], photo.Predictions.OrderBy(p => p.FaceIndex).Select(p => (int)p.FaceIndex));
        Assert.All(photo.Predictions, p => Assert.NotNull(p.DetectorConfidence));
        Assert.All(photo.Predictions, p => Assert.True(p.Timings.DetectMs > 0));
        foreach (var truth in GroupBoxes)
            Assert.Contains(photo.Predictions, p => p.Box.ToFaceBox().Overlap(truth) > 0.5);
        // Each face's row holds that face's scores: the batch's packing of faces into one tensor kept them apart.
        using (var locator = new FaceLocator(new FaceOptions { CascadePath = Path.Combine(RepoPaths.Root, FaceOptions.DefaultCascadePath) }))
        {
            var located = locator.Locate(group);
            var expected = Classify(located);
            foreach (var row in photo.Predictions)
            {
                Assert.Equal(located.Faces[row.FaceIndex].Box, row.Box.ToFaceBox());
                Assert.Equal(expected[row.FaceIndex].Scores[3], row.Scores.Happy, 1e-5f);
                Assert.Equal((short)expected[row.FaceIndex].Label, row.PredictedLabel);
            }
        }

        var empty = images["photos/empty-room.png"];
        Assert.Equal(ImageState.NoFace, empty.State);
        Assert.Equal(0, empty.FaceCount);
        Assert.Null(empty.FailureReason);
        Assert.Empty(empty.Predictions);
        Assert.NotNull(empty.CompletedAt);

        await using (var db = Open())
            Assert.Empty(await db.ImageFailures.ToListAsync());
        Assert.Equal(4, summary.Scored);
        Assert.Equal(1, summary.NoFace);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, summary.Pending);
        Assert.Equal(6, summary.Faces);
        // labelled crops count once each in the summary, the photo by its largest face
        Assert.Equal(4, summary.PredictedCounts.Values.Sum());
    }

    [Fact]
    public async Task A_fer_crops_marker_keeps_large_images_as_single_crops()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "big-crops")).FullName;
        var bigCrop = ComposedPhoto.Compose(200, 200, [(ComposedPhoto.FrontalSamples[0], new FaceBox(0, 0, 200, 200))]);
        Write(folder, "happy/big.png", bigCrop);
        Write(folder, "empty.png", ComposedPhoto.Compose(300, 200, []));
        Write(folder, FaceOptions.CropsMarker, []);

        var (summary, images) = await RunAsync(folder, FaceMode.Auto);

        Assert.Equal(2, images.Count); // the marker itself is not an image
        Assert.All(images.Values, i => Assert.Equal(ImageState.Scored, i.State));
        var face = Assert.Single(images["happy/big.png"].Predictions);
        Assert.Equal((0, 0, 200, 200), (face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height));
        Assert.Null(face.DetectorConfidence);
        Assert.Equal(Classify(bigCrop)[0].Scores[3], face.Scores.Happy, 1e-6f);
        Assert.Equal(0, summary.NoFace);
    }

    [Fact]
    public async Task Faces_crops_treats_every_image_as_one_face()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "forced")).FullName;
        Write(folder, "empty.png", ComposedPhoto.Compose(640, 480, []));
        Write(folder, "group.png", ComposedPhoto.Compose(900, 420, ComposedPhoto.FrontalSamples.Zip(GroupBoxes)));

        var (summary, images) = await RunAsync(folder, FaceMode.Crops);

        Assert.All(images.Values, i => Assert.Equal(ImageState.Scored, i.State));
        Assert.All(images.Values, i => Assert.Single(i.Predictions));
        Assert.Equal(2, summary.Faces);
    }

    private async Task<(EmbeddedRunSummary Summary, Dictionary<string, ImageRecord> Images)> RunAsync(string folder, FaceMode faces)
    {
        var summary = await EmbeddedRunner.RunAsync(
            new EmbeddedRunOptions(folder, Path.Combine(_work.Path, "results.db")) { ModelPath = RepoPaths.ShippedModel, Faces = faces },
            progress: null, CancellationToken.None);
        await using var db = Open();
        var images = await db.Images.Include(i => i.Predictions).AsNoTracking().ToDictionaryAsync(i => i.Path);
        return (summary, images);
    }

    private FerDbContext Open() =>
        new(new DbContextOptionsBuilder<FerDbContext>().UseSqlite($"Data Source={Path.Combine(_work.Path, "results.db")};Pooling=false").Options);

    private EmotionPrediction[] Classify(byte[] crop)
    {
        var pixels = new float[FacePreprocessor.PixelCount];
        FacePreprocessor.Preprocess(crop, pixels);
        return model.Classifier.Classify(pixels, 1);
    }

    private EmotionPrediction[] Classify(LocatedImage located)
    {
        var pixels = located.Faces.SelectMany(f => f.ModelInput()).ToArray();
        return model.Classifier.Classify(pixels, located.Faces.Count);
    }

    private static void Copy(string sample, string folder, string relative) =>
        Write(folder, relative, File.ReadAllBytes(Path.Combine(RepoPaths.Root, sample)));

    private static void Write(string folder, string relative, byte[] bytes)
    {
        var file = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, bytes);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Dispose();
    }
}
