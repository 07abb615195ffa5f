namespace Fer.Tests.Embedded;

/// <summary>
/// A dataset folder full of hostile files, run through the real ingestor and batch handler (embedded mode: in-process
/// queue, SQLite): every file ends in exactly one terminal state, each bad one with its own reason, and the good faces
/// that share micro-batches with them are scored as usual.
/// </summary>
public sealed class HostileFolderTests : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Every_hostile_file_gets_a_terminal_state_and_its_batch_mates_are_scored()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "hostile")).FullName;
        var face = Fer2013Csv.SliceRows(1)[0];
        var facePng = TestImages.EncodeGray(face.Pixels, 48, 48);
        var longFolder = string.Join('/', Enumerable.Repeat(new string('d', 120), 4)); // a path of more than 500 characters
        var longName = new string('n', 200) + ".png";

        var good = new Dictionary<string, (byte[] Bytes, Emotion? Label)>
        {
            ["happy/with spaces in the name.png"] = (facePng, Emotion.Happy),
            ["happy/unicode-gesicht-ü-笑顔-😀.png"] = (facePng, Emotion.Happy),
            ["happy/a..b.png"] = (facePng, Emotion.Happy),
            [$"sad/{longFolder}/{longName}"] = (facePng, null), // the parent folder, not "sad", is the label folder
            ["joyful/unknown-label-folder.png"] = (facePng, null),
            ["7/numeric-but-not-an-emotion.png"] = (facePng, null),
            ["neutral/animated.gif"] = (HostileImages.AnimatedGif, Emotion.Neutral),
            ["neutral/gray16.png"] = (HostileImages.Gray16Png, Emotion.Neutral),
            ["neutral/cmyk.jpg"] = (HostileImages.CmykJpeg, Emotion.Neutral),
        };
        var bad = new Dictionary<string, (byte[] Bytes, string Reason)>
        {
            ["bad/zero-bytes.png"] = ([], "empty file"),
            ["bad/truncated.png"] = (facePng[..(facePng.Length / 2)], "truncated"),
            ["bad/truncated.jpg"] = (HostileImages.TruncatedJpeg(), "truncated"),
            ["bad/text-renamed.png"] = (HostileImages.TextRenamedPng, "not a decodable image"),
            ["bad/spacer-1x1.png"] = (TestImages.EncodeGray([128], 1, 1), "1x1 pixels is too small to be a face"),
            ["bad/strip-96x8.png"] = (TestImages.EncodeGray(new byte[96 * 8], 96, 8), "96x8 pixels is too small to be a face"),
            ["bad/huge-20000x20000.png"] = (HostileImages.BilevelPng(20_000, 20_000), "20000x20000 pixels exceeds the limit"),
        };
        foreach (var (path, bytes) in good.Select(g => (g.Key, g.Value.Bytes)).Concat(bad.Select(b => (b.Key, b.Value.Bytes))))
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, bytes);
        }
        // Over the byte limit: refused before it is read, let alone decoded.
        await using (var oversized = File.Create(Path.Combine(folder, "bad", "oversized.png")))
            oversized.SetLength(70 * 1024 * 1024);
        bad["bad/oversized.png"] = ([], "exceeds the limit of");

        var database = Path.Combine(_work.Path, "results.db");
        // One batch holds everything, so bad files and good faces are batch-mates.
        var summary = await EmbeddedRunner.RunAsync(new EmbeddedRunOptions(folder, database) { ModelPath = RepoPaths.ShippedModel, MessageLimit = 64 },
            progress: null, CancellationToken.None);

        await using var db = new FerDbContext(new DbContextOptionsBuilder<FerDbContext>().UseSqlite($"Data Source={database};Pooling=false").Options);
        var images = await db.Images.Include(i => i.Predictions).ToDictionaryAsync(i => i.Path);
        Assert.Equal(good.Count + bad.Count, images.Count);
        foreach (var (path, (_, label)) in good)
        {
            var image = images[path];
            Assert.True(image.State == ImageState.Scored, $"{path}: {image.State} {image.FailureReason}");
            Assert.NotNull(image.LargestFace);
            Assert.Equal(label is null ? null : (short)label, image.TrueLabel);
        }
        foreach (var (path, (_, reason)) in bad)
        {
            var image = images[path];
            Assert.Equal(ImageState.Failed, image.State);
            Assert.Null(image.LargestFace);
            Assert.Contains(reason, image.FailureReason);
        }
        var failures = await db.ImageFailures.ToListAsync();
        Assert.Equal(bad.Count, failures.Count);
        Assert.All(failures, f => Assert.True(f.Permanent));
        Assert.Equal(good.Count, summary.Scored);
        Assert.Equal(bad.Count, summary.Failed);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Dispose();
    }
}
