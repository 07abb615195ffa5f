using SkiaSharp;

namespace Fer.Tests.Reports;

public sealed class ThumbnailTests : SqliteDatabaseTest
{
    [Fact]
    public async Task Mistakes_get_a_48x48_png_thumbnail_from_the_supplied_image_source_when_it_has_the_image()
    {
        var source = new RecordingImageSource(new Dictionary<string, byte[]>
        {
            ["faces/sad/09.png"] = Png(96, 64),
            ["faces/happy/07.png"] = "not an image"u8.ToArray(),
        });
        var asked = source.Asked;
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);

        var report = await new ReportService(db, new ReportSettings { MistakeCount = 3 }, images: source).BuildAsync(id);

        Assert.Equal(["sad/09.png", "happy/07.png", "angry/03.png"], asked);
        var uri = report.ConfidentMistakes[0].ThumbnailDataUri;
        Assert.NotNull(uri);
        Assert.StartsWith("data:image/png;base64,", uri);
        using var decoded = SKBitmap.Decode(Convert.FromBase64String(uri["data:image/png;base64,".Length..]));
        Assert.Equal((48, 48), (decoded.Width, decoded.Height));
        Assert.Null(report.ConfidentMistakes[1].ThumbnailDataUri); // undecodable: no thumbnail, no failure
        Assert.Null(report.ConfidentMistakes[2].ThumbnailDataUri); // missing
        Assert.Contains($"<img src=\"{uri}\"", HtmlReportRenderer.Render(report));
    }

    [Fact]
    public async Task Folder_image_source_reads_inside_the_dataset_folder_only()
    {
        var folder = Path.Combine(_database.Folder, "images");
        Directory.CreateDirectory(Path.Combine(folder, "sad"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "sad", "09.png"), Png(48, 48));
        await File.WriteAllTextAsync(Path.Combine(_database.Folder, "secret.txt"), "secret");
        var source = DatasetImages.InFolder(folder);

        Assert.NotNull(await source.TryReadAsync("sad/09.png", default));
        Assert.Null(await source.TryReadAsync("sad/missing.png", default));
        Assert.Null(await source.TryReadAsync("../secret.txt", default));
    }

    /// <summary>Images by stored name (dataset folder, then path); records the paths a report asks for, in order.</summary>
    private sealed class RecordingImageSource(Dictionary<string, byte[]> images) : Fer.ImageSources.IImageSource
    {
        public List<string> Asked { get; } = [];

        public IAsyncEnumerable<IReadOnlyList<Fer.ImageSources.SourceImage>> ListImagesAsync(string container, string dataset, int pageSize,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<byte[]> ReadAsync(string container, string name, long maxBytes, CancellationToken cancellationToken)
        {
            Asked.Add(name[(KnownResults.DatasetName.Length + 1)..]);
            return images.TryGetValue(name, out var bytes)
                ? Task.FromResult(bytes)
                : Task.FromException<byte[]>(new Fer.ImageSources.ImageNotFoundException(name));
        }

        public Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken) => Task.FromResult(images.ContainsKey(name));
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.Black };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 3f, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
