namespace Fer.IntegrationTests.Infrastructure;

/// <summary>
/// A test's own broker entity prefix and blob container (unique, so runs side by side never share queues or blobs);
/// disposing deletes the container and every queue and exchange the hosts declared under the prefix.
/// </summary>
public sealed class PipelineNames : IAsyncDisposable
{
    public PipelineNames(string prefix)
    {
        EntityPrefix = TestServices.UniqueName(prefix);
        Container = TestServices.UniqueName(prefix);
        Blobs = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(Container);
    }

    public string EntityPrefix { get; }
    public string Container { get; }
    public BlobContainerClient Blobs { get; }

    public async ValueTask DisposeAsync()
    {
        await Blobs.DeleteIfExistsAsync();
        await BrokerCleanup.DeleteAsync(EntityPrefix);
    }
}
