using Fer.Core.Imaging;
using Fer.ImageSources;

namespace Fer.IntegrationTests.Ingestion;

/// <summary>The worker's one streaming download per image, against Azurite.</summary>
public sealed class BlobImageSourceTests : IAsyncLifetime
{
    private readonly string _container = TestServices.UniqueName("fer-read-");
    private readonly BlobServiceClient _service = new(TestServices.Blob);
    private readonly BlobImageSource _source;

    public BlobImageSourceTests() => _source = new BlobImageSource(_service);

    public async Task InitializeAsync() => await _service.GetBlobContainerClient(_container).CreateAsync();

    [Fact]
    public async Task Reads_the_whole_blob()
    {
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        await _service.GetBlobContainerClient(_container).UploadBlobAsync("set/a.png", BinaryData.FromBytes(bytes));
        Assert.Equal(bytes, await _source.ReadAsync(_container, "set/a.png", bytes.Length, CancellationToken.None));
    }

    [Fact]
    public async Task Refuses_a_blob_over_the_limit_by_its_size()
    {
        await _service.GetBlobContainerClient(_container).UploadBlobAsync("set/big.png", BinaryData.FromBytes(new byte[5000]));
        var error = await Assert.ThrowsAsync<InvalidImageException>(() => _source.ReadAsync(_container, "set/big.png", 4999, CancellationToken.None));
        Assert.Equal("file of 5000 bytes exceeds the limit of 4999", error.Reason);
    }

    [Fact]
    public async Task Reads_an_empty_blob_as_no_bytes()
    {
        await _service.GetBlobContainerClient(_container).UploadBlobAsync("set/empty.png", BinaryData.FromBytes([]));
        Assert.Empty(await _source.ReadAsync(_container, "set/empty.png", 100, CancellationToken.None));
    }

    [Theory]
    [InlineData("set/missing.png", false)]
    [InlineData("set/missing.png", true)]
    public async Task Names_a_missing_blob_or_container(string name, bool missingContainer)
    {
        var container = missingContainer ? TestServices.UniqueName("fer-none-") : _container;
        var error = await Assert.ThrowsAsync<ImageNotFoundException>(() => _source.ReadAsync(container, name, 100, CancellationToken.None));
        Assert.Contains($"{container}/{name}", error.Message);
    }

    public async Task DisposeAsync() => await _service.GetBlobContainerClient(_container).DeleteIfExistsAsync();
}
