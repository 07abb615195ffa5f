using RabbitMQ.Client;

namespace Fer.IntegrationTests.Ingestion;

/// <summary>
/// The sweeper on a real broker: a backlog of published messages is left alone however often it sweeps; only once the
/// queue has lost its messages (purged here, as after a dead-lettered batch) are the unfinished rows re-published, once.
/// </summary>
public sealed class PendingSweeperTests : IAsyncLifetime
{
    private const string Dataset = "backlog";
    private const int ImageCount = 30;
    private readonly PostgresDatabase _database = new();
    private readonly string _container = TestServices.UniqueName("fer-sweep-");
    private readonly string _prefix = TestServices.UniqueName("s");
    private string Queue => $"{_prefix}-score-image-batch";
    private BlobContainerClient _blobs = null!;
    private WebApplication? _ingest;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _blobs = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container);
        await _blobs.CreateAsync();
        await Fer2013Images.UploadAsync(_blobs, Dataset, Fer2013Images.ReadRows(RepoPaths.PublicTestSlice).Take(ImageCount));
    }

    [Fact]
    public async Task Unfinished_rows_are_republished_only_when_the_queue_has_drained()
    {
        var settings = PipelineHosts.BaseSettings(_database.ConnectionString, _prefix);
        settings["Fer:Sweeper:RepublishUnfinishedAfter"] = "00:00:00.001";

        // A worker declares the queue and its bindings, then leaves: what is published next waits in the queue.
        var declaring = await PipelineHosts.StartWorkerAsync(settings, "declaring-worker");
        await Poll.UntilAsync(async () => await TryQueueStateAsync() is { Consumers: > 0 }, TimeSpan.FromSeconds(30), "the worker to consume from its queue");
        await declaring.StopAsync();
        declaring.Dispose();
        // A loaded machine (the whole suite at once) can take the broker well past 30 s to drop the stopped consumer.
        await Poll.UntilAsync(async () => (await QueueStateAsync()).Consumers == 0, TimeSpan.FromMinutes(2), "the declaring worker to leave the queue");

        var (app, _) = await PipelineHosts.StartIngestAsync(settings, _container);
        _ingest = app;
        var ingestor = app.Services.GetRequiredService<DatasetIngestor>();
        var sweeper = app.Services.GetRequiredService<PendingSweeper>();
        var submitted = await ingestor.IngestAsync(_container, Dataset, CancellationToken.None);
        Assert.Equal(ImageCount, submitted.Added);
        await Poll.UntilAsync(async () => (await QueueStateAsync()).Messages == ImageCount, TimeSpan.FromSeconds(30), "the backlog to reach the queue");

        for (var pass = 0; pass < 3; pass++)
            Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal((uint)ImageCount, (await QueueStateAsync()).Messages);

        await PurgeQueueAsync();
        Assert.Equal(ImageCount, await sweeper.SweepAsync(CancellationToken.None));
        await Poll.UntilAsync(async () => (await QueueStateAsync()).Messages == ImageCount, TimeSpan.FromSeconds(30), "the re-published messages to reach the queue");
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));

        var worker = await PipelineHosts.StartWorkerAsync(settings, "scoring-worker");
        try
        {
            await _database.UntilAsync(async db => !await db.Images.AnyAsync(i => i.State == ImageState.Pending),
                TimeSpan.FromMinutes(2), "every image to leave Pending");
        }
        finally
        {
            await worker.StopAsync();
            worker.Dispose();
        }
        await using var check = _database.CreateContext();
        Assert.Equal(ImageCount, await check.Images.CountAsync(i => i.State == ImageState.Scored));
        Assert.Equal(ImageCount, await check.Predictions.CountAsync());
    }

    private async Task<(uint Messages, uint Consumers)> QueueStateAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclarePassiveAsync(Queue);
        return (queue.MessageCount, queue.ConsumerCount);
    }

    private async Task<(uint Messages, uint Consumers)?> TryQueueStateAsync()
    {
        try
        {
            return await QueueStateAsync();
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    private async Task PurgeQueueAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(Queue);
    }

    public async Task DisposeAsync()
    {
        if (_ingest is not null)
            await _ingest.DisposeAsync();
        await _blobs.DeleteIfExistsAsync();
        await _database.DisposeAsync();
        await BrokerCleanup.DeleteAsync(_prefix);
    }
}
