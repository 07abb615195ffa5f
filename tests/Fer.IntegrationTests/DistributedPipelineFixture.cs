using Fer.Inference.Faces;

namespace Fer.IntegrationTests;

/// <summary>
/// One run of the distributed pipeline on real services: 210 labelled FER2013 PNGs plus a corrupt and an empty file
/// uploaded to a fresh Azurite container, submitted over HTTP to the ingest host, scored by two competing workers.
/// </summary>
public sealed class DistributedPipelineFixture : IAsyncLifetime
{
    public const int ImageCount = 210;
    public const string Dataset = "faces";
    public const string CorruptPath = "happy/corrupt.png";
    public const string EmptyPath = "sad/empty.png";

    // Photos go in datasets of their own, so the counts of the crop dataset above stay as they are.
    public const string PhotoDataset = "photos";
    public const string MarkedDataset = "marked-crops";
    public static readonly FaceBox[] GroupBoxes = [new(60, 80, 150, 150), new(330, 60, 220, 220), new(660, 120, 180, 180)];

    public PostgresDatabase Database { get; } = new();
    private readonly PipelineNames _names = new("fer-test-");
    public string Container => _names.Container;
    public string EntityPrefix => _names.EntityPrefix;
    public IReadOnlyList<Fer2013Images.Row> Rows { get; private set; } = [];
    public BlobContainerClient Blobs => _names.Blobs;
    public HttpClient Http { get; private set; } = null!;
    public IngestResult FirstSubmit { get; private set; } = null!;
    public long DatasetId => FirstSubmit.DatasetId;

    /// <summary>The images and predictions as they were right after the first run, before any test changes blobs.</summary>
    public IReadOnlyList<ImageRecord> Snapshot { get; private set; } = [];

    /// <summary>The photo datasets' images and faces after their run: a crop, a group photo, an empty room; and a big crop
    /// in a folder marked <c>.fer-crops</c>.</summary>
    public IReadOnlyList<ImageRecord> PhotoSnapshot { get; private set; } = [];
    public IReadOnlyList<ImageRecord> MarkedSnapshot { get; private set; } = [];
    public byte[] GroupPhoto { get; } = ComposedPhoto.Compose(900, 420, ComposedPhoto.FrontalSamples.Zip(GroupBoxes));

    private readonly List<IHost> _workers = [];
    private WebApplication? _ingest;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Rows = Fer2013Images.ReadRows(RepoPaths.PublicTestSlice).Take(ImageCount).ToList();
        await Blobs.CreateAsync();
        await Parallel.ForEachAsync(Rows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (row, ct) =>
            await Blobs.UploadBlobAsync($"{Dataset}/{Fer2013Images.RelativePath(row)}", BinaryData.FromBytes(Fer2013Images.EncodePng(row.Gray48)), ct));
        await Blobs.UploadBlobAsync($"{Dataset}/{CorruptPath}", BinaryData.FromBytes("this is not an image, only text pretending"u8.ToArray()));
        await Blobs.UploadBlobAsync($"{Dataset}/{EmptyPath}", BinaryData.FromBytes([]));
        await Blobs.UploadBlobAsync($"{Dataset}/notes.txt", BinaryData.FromString("not an image: ignored by ingestion"));
        await Blobs.UploadBlobAsync($"{Dataset}/IMG_0001.HEIC", BinaryData.FromString("an iPhone photo: not decodable here"));

        var settings = PipelineHosts.BaseSettings(Database.ConnectionString, EntityPrefix);
        _workers.Add(await PipelineHosts.StartWorkerAsync(settings, "worker-a"));
        _workers.Add(await PipelineHosts.StartWorkerAsync(settings, "worker-b"));
        var (app, address) = await PipelineHosts.StartIngestAsync(settings, Container);
        _ingest = app;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

        FirstSubmit = await SubmitAsync();
        await WaitForNoPendingAsync(TimeSpan.FromMinutes(3));
        await using var db = Database.CreateContext();
        Snapshot = await db.Images.AsNoTracking().Include(i => i.Predictions).Where(i => i.DatasetId == DatasetId).ToListAsync();

        await Blobs.UploadBlobAsync($"{PhotoDataset}/happy/crop.png", BinaryData.FromBytes(Fer2013Images.EncodePng(Rows[0].Gray48)));
        await Blobs.UploadBlobAsync($"{PhotoDataset}/group.png", BinaryData.FromBytes(GroupPhoto));
        await Blobs.UploadBlobAsync($"{PhotoDataset}/room.jpg", BinaryData.FromBytes(ComposedPhoto.Compose(640, 480, [], SkiaSharp.SKEncodedImageFormat.Jpeg)));
        await Blobs.UploadBlobAsync($"{MarkedDataset}/{FaceOptions.CropsMarker}", BinaryData.FromBytes([]));
        await Blobs.UploadBlobAsync($"{MarkedDataset}/big-crop.png",
            BinaryData.FromBytes(ComposedPhoto.Compose(200, 200, [(ComposedPhoto.FrontalSamples[0], new FaceBox(0, 0, 200, 200))])));
        var photos = await SubmitAsync(PhotoDataset);
        var marked = await SubmitAsync(MarkedDataset);
        await WaitForNoPendingAsync(TimeSpan.FromMinutes(2), photos.DatasetId);
        await WaitForNoPendingAsync(TimeSpan.FromMinutes(2), marked.DatasetId);
        PhotoSnapshot = await db.Images.AsNoTracking().Include(i => i.Predictions).Where(i => i.DatasetId == photos.DatasetId).ToListAsync();
        MarkedSnapshot = await db.Images.AsNoTracking().Include(i => i.Predictions).Where(i => i.DatasetId == marked.DatasetId).ToListAsync();
    }

    public async Task<IngestResult> SubmitAsync(string dataset = Dataset)
    {
        var response = await Http.PostAsync($"/datasets/{Container}/{dataset}/submit", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IngestResult>())!;
    }

    public async Task WaitForNoPendingAsync(TimeSpan timeout, long? datasetId = null)
    {
        var id = datasetId ?? DatasetId;
        var pending = -1;
        var drained = await Database.TryUntilAsync(async db =>
        {
            pending = await db.Images.CountAsync(i => i.DatasetId == id && i.State == ImageState.Pending);
            return pending == 0;
        }, timeout, TimeSpan.FromMilliseconds(200));
        if (!drained)
            throw new TimeoutException($"{pending} images still Pending after {timeout}");
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_ingest is not null)
            await _ingest.DisposeAsync();
        foreach (var worker in _workers)
        {
            await worker.StopAsync();
            worker.Dispose();
        }
        await Database.DisposeAsync();
        await _names.DisposeAsync();
    }
}
