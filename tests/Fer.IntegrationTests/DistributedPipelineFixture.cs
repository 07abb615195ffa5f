using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Fer.Data.Entities;
using Fer.IntegrationTests.Infrastructure;
using Fer.Pipeline.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

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

    public PostgresDatabase Database { get; } = new();
    public string Container { get; } = TestServices.UniqueName("fer-test-");
    public string EntityPrefix { get; } = TestServices.UniqueName("t");
    public IReadOnlyList<Fer2013Images.Row> Rows { get; private set; } = [];
    public BlobContainerClient Blobs { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public IngestResult FirstSubmit { get; private set; } = null!;
    public long DatasetId => FirstSubmit.DatasetId;

    /// <summary>The images and predictions as they were right after the first run, before any test changes blobs.</summary>
    public IReadOnlyList<ImageRecord> Snapshot { get; private set; } = [];

    private readonly List<IHost> _workers = [];
    private WebApplication? _ingest;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Rows = Fer2013Images.ReadRows(RepositoryPaths.PublicTestSlice).Take(ImageCount).ToList();
        Blobs = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(Container);
        await Blobs.CreateAsync();
        await Parallel.ForEachAsync(Rows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (row, ct) =>
            await Blobs.UploadBlobAsync($"{Dataset}/{Fer2013Images.RelativePath(row)}", BinaryData.FromBytes(Fer2013Images.EncodePng(row.Gray48)), ct));
        await Blobs.UploadBlobAsync($"{Dataset}/{CorruptPath}", BinaryData.FromBytes("this is not an image, only text pretending"u8.ToArray()));
        await Blobs.UploadBlobAsync($"{Dataset}/{EmptyPath}", BinaryData.FromBytes([]));
        await Blobs.UploadBlobAsync($"{Dataset}/notes.txt", BinaryData.FromString("not an image: ignored by ingestion"));

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
    }

    public async Task<IngestResult> SubmitAsync()
    {
        var response = await Http.PostAsync($"/datasets/{Container}/{Dataset}/submit", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IngestResult>())!;
    }

    public async Task WaitForNoPendingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = Database.CreateContext();
            var pending = await db.Images.CountAsync(i => i.DatasetId == DatasetId && i.State == ImageState.Pending);
            if (pending == 0)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{pending} images still Pending after {timeout}");
            await Task.Delay(200);
        }
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
        await Blobs.DeleteIfExistsAsync();
        await Database.DisposeAsync();
        await BrokerCleanup.DeleteAsync(EntityPrefix);
    }
}
