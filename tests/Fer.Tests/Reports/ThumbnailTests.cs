using SkiaSharp;

namespace Fer.Tests.Reports;

public sealed class ThumbnailTests : SqliteDatabaseTest
{
    [Fact]
    public async Task Mistakes_get_a_48x48_png_thumbnail_from_the_supplied_image_source_when_it_has_the_image()
    {
        await using var db = _database.Open();
        var id = await KnownResults.SeedAsync(db);
        var asked = new List<string>();
        ReportImageSource source = (path, _) =>
        {
            asked.Add(path);
            return Task.FromResult(path switch
            {
                "sad/09.png" => Png(96, 64),
                "happy/07.png" => "not an image"u8.ToArray(),
                _ => null,
            });
        };

        var report = await ReportGenerator.GenerateAsync(db, id, new ReportOptions { MistakeCount = 3, ImageSource = source });

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
        var source = ReportImageSources.FromFolder(folder);

        Assert.NotNull(await source("sad/09.png", default));
        Assert.Null(await source("sad/missing.png", default));
        Assert.Null(await source("../secret.txt", default));
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
