using Fer.ImageSources;
using Fer.IntegrationTests.Telemetry;

namespace Fer.IntegrationTests.Ingestion;

/// <summary>
/// The blob watcher on Azurite and PostgreSQL: a ready folder of files it cannot score (HEIC photos) is reported once,
/// with why each file was skipped, not listed in silence every pass; once an image arrives it is queued as usual.
/// </summary>
public sealed class BlobFolderWatcherTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private readonly string _container = TestServices.UniqueName("fer-watch-");
    private readonly CapturingLoggerProvider _logs = new();
    private BlobContainerClient _blobs = null!;
    private WebApplication? _ingest;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _blobs = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container);
        await _blobs.CreateAsync();
    }

    [Fact]
    public async Task A_ready_folder_without_an_image_is_reported_once_with_the_reasons()
    {
        foreach (var name in new[] { "iphone/IMG_0001.HEIC", "iphone/IMG_0002.HEIC", "iphone/notes.txt", "iphone/_READY" })
            await _blobs.UploadBlobAsync(name, BinaryData.FromString("not decoded"));
        var (app, _) = await PipelineHosts.StartIngestAsync(PipelineHosts.BaseSettings(_database.ConnectionString, TestServices.UniqueName("w")),
            _container, _logs);
        _ingest = app;
        var watcher = app.Services.GetRequiredService<BlobFolderWatcher>();

        for (var pass = 0; pass < 3; pass++)
            Assert.Equal(0, Assert.Single(await watcher.ScanAsync(CancellationToken.None)).Listed);
        var warning = Assert.Single(Warnings());
        Assert.Contains($"Folder {_container}/iphone is ready but nothing was queued: no images under {_container}/iphone/", warning);
        Assert.Contains($"3 other entries were skipped: 2 x {SkipReasons.UndecodablePhotoFormat}, 1 x {SkipReasons.NotAnImage}", warning);

        await _blobs.UploadBlobAsync("iphone/IMG_0003.png", BinaryData.FromBytes(Fer2013Images.EncodePng(Fer2013Images.ReadRows(RepoPaths.PublicTestSlice)[0].Gray48)));
        var queued = Assert.Single(await watcher.ScanAsync(CancellationToken.None));
        Assert.Equal((1, 1), (queued.Listed, queued.Published));
        Assert.Single(Warnings());
    }

    private List<string> Warnings() =>
        _logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Category.EndsWith(nameof(BlobFolderWatcher), StringComparison.Ordinal))
            .Select(e => e.Message).ToList();

    public async Task DisposeAsync()
    {
        if (_ingest is not null)
        {
            await _ingest.StopAsync();
            await _ingest.DisposeAsync();
        }
        await _blobs.DeleteIfExistsAsync();
        await _database.DisposeAsync();
    }
}
