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
    public async Task Counts_what_a_listing_of_the_folder_leaves_out_by_reason()
    {
        var container = _service.GetBlobContainerClient(_container);
        foreach (var name in new[] { "phone/IMG_0001.HEIC", "phone/2024/IMG_0002.heic", "phone/notes.txt", "phone/_READY", "phone/.fer-crops", "phone/.DS_Store", "phone/a.png", "other/b.txt" })
            await container.UploadBlobAsync(name, BinaryData.FromString("x"));
        Assert.Empty(_source.SkippedByLastListing(_container, "phone"));

        // Pages of two names: the counts cover every page, not only the last.
        var listed = new List<string>();
        await foreach (var page in _source.ListImagesAsync(_container, "phone", pageSize: 2, CancellationToken.None))
            listed.AddRange(page.Select(image => image.Name));

        Assert.Equal(["phone/a.png"], listed);
        Assert.Equal(new Dictionary<string, int>
        {
            [SkipReasons.UndecodablePhotoFormat] = 2,
            [SkipReasons.NotAnImage] = 1,
            [SkipReasons.Hidden] = 1,
        }, _source.SkippedByLastListing(_container, "phone"));
        Assert.Empty(_source.SkippedByLastListing(_container, "other"));
    }

    [Fact]
    public async Task Says_why_a_folder_without_images_has_none_from_its_listing()
    {
        var container = _service.GetBlobContainerClient(_container);
        foreach (var name in new[] { "iphone/IMG_0001.HEIC", "iphone/IMG_0002.heic", "iphone/_READY" })
            await container.UploadBlobAsync(name, BinaryData.FromString("x"));
        await foreach (var _ in _source.ListImagesAsync(_container, "iphone", pageSize: 100, CancellationToken.None))
            Assert.Fail("a folder of HEIC photos has no image to list");

        var message = _source.DescribeFolderWithoutImages(_container, "iphone");
        Assert.Equal($"no images under {_container}/iphone/ (looked for {ImageFileNames.ExtensionList}); " +
                     $"2 other entries were skipped: 2 x {SkipReasons.UndecodablePhotoFormat}", message);
        // The listing is what the message reads: blobs added since are not in it until the folder is listed again.
        await container.UploadBlobAsync("iphone/notes.txt", BinaryData.FromString("x"));
        Assert.Equal(message, _source.DescribeFolderWithoutImages(_container, "iphone"));
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
