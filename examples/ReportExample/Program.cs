// Builds the example report of docs/reports.md from the 300-row FER2013 fixture: writes the faces as PNGs in
// label folders, scores them with the shipped model, stores the results in an embedded SQLite database and
// publishes the report beside it.
//   dotnet run --project examples/ReportExample -- [csv.gz] [work folder]
using System.IO.Compression;
using Fer.Core.Imaging;
using Fer.Inference;
using Fer.Core.Labels;
using Fer.Data;
using Fer.Data.Entities;
using Fer.Reporting;
using Fer.Reporting.Publishing;
using Fer.Reporting.Rendering;
using SkiaSharp;

var csvPath = args.Length > 0 ? args[0] : ModelLocator.Resolve("tests/fixtures/publictest-slice.csv.gz");
var work = Path.GetFullPath(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "fer-report-example"));
// The dataset is named after the CSV file: "publictest" for the full split, "publictest-slice" for the fixture.
var datasetName = Path.GetFileName(csvPath).Split('.')[0];
var imagesRoot = Path.Combine(work, datasetName);
var dbFile = Path.Combine(work, "fer.db");
if (Directory.Exists(work))
{
    // Only ever wipe a folder this sample made before.
    if (Directory.EnumerateFileSystemEntries(work).Any() && !File.Exists(dbFile))
    {
        Console.Error.WriteLine($"{work} is not empty and holds no fer.db from an earlier run; choose another folder");
        return 1;
    }
    Directory.Delete(work, recursive: true);
}
Directory.CreateDirectory(imagesRoot);

// 1. FER2013 rows -> label-folder PNGs
var faces = new List<(string Path, short Label, byte[] Gray)>();
using (var reader = new StreamReader(new GZipStream(File.OpenRead(csvPath), CompressionMode.Decompress)))
{
    var header = reader.ReadLine();
    for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
    {
        var comma = line.IndexOf(',');
        var label = short.Parse(line[..comma]);
        var gray = line[(comma + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(byte.Parse).ToArray();
        var relative = $"{EmotionLabels.Name((Emotion)label)}/{faces.Count:0000}.png";
        var full = Path.Combine(imagesRoot, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var image = SKImage.FromPixelCopy(new SKImageInfo(48, 48, SKColorType.Gray8, SKAlphaType.Opaque), gray);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        await File.WriteAllBytesAsync(full, png.ToArray());
        faces.Add((relative, label, gray));
    }
}

// 2. score them all in one batch, as a worker would
using var classifier = new EmotionClassifier(new ClassifierOptions { PreferCuda = false });
var pixels = new float[faces.Count * FacePreprocessor.PixelCount];
for (var i = 0; i < faces.Count; i++)
    FacePreprocessor.FromGray48(faces[i].Gray, pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
var predictions = classifier.Classify(pixels, faces.Count);

// 3. store them as the pipeline does
var now = DateTimeOffset.UtcNow;
await using (var db = FerDbContexts.ForSqlite(dbFile))
{
    await db.Database.EnsureCreatedAsync();
    var dataset = new Dataset { Name = datasetName, Path = datasetName, Container = "local", CreatedAt = now, ResultsChangedAt = now };
    db.Datasets.Add(dataset);
    for (var i = 0; i < faces.Count; i++)
    {
        var s = predictions[i].Scores;
        db.Images.Add(new ImageRecord
        {
            Dataset = dataset, Path = faces[i].Path, ETag = $"row-{i}", SizeBytes = 0, TrueLabel = faces[i].Label,
            State = ImageState.Scored, DiscoveredAt = now, PublishedAt = now, CompletedAt = now, FaceCount = 1,
            Predictions =
            [
                new Prediction
                {
                    Box = new PixelBox(0, 0, 48, 48),
                    Scores = EmotionScores.From(s),
                    PredictedLabel = (short)predictions[i].Label, Confidence = predictions[i].Confidence,
                    ModelName = classifier.ModelName, ModelSha256 = classifier.ModelSha256, WorkerId = "report-example",
                    BatchSize = faces.Count, ScoredAt = now,
                },
            ],
        });
    }
    await db.SaveChangesAsync();

    // 4. the report, with thumbnails read back from the folder
    var settings = new ReportSettings { Folder = work, ImagesFolder = imagesRoot };
    var published = await new ReportService(db, settings).CreateAsync(dataset.Id, ReportPublisher.OnDemandTrigger);
    var report = published.Report;
    Console.WriteLine($"accuracy {ReportFormat.Percent(report.Accuracy)} on {report.LabelledCount} images, model {report.ModelName} {ReportFormat.ShortSha(report.ModelSha256)}");
    Console.WriteLine(published.HtmlLocation);
}
return 0;
