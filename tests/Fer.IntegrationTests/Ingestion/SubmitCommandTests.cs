using Fer.ImageSources;
using Fer.Tests.Support;

namespace Fer.IntegrationTests.Ingestion;

/// <summary><c>fer submit</c> against the real services: a folder with no image is refused with why each file was skipped.</summary>
public sealed class SubmitCommandTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private readonly string _container = TestServices.UniqueName("fer-submit-");
    private readonly BlobServiceClient _service = new(TestServices.Blob);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _service.GetBlobContainerClient(_container).CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.GetBlobContainerClient(_container).DeleteIfExistsAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_submit_that_queues_images_also_counts_the_files_it_left_out()
    {
        var container = _service.GetBlobContainerClient(_container);
        await container.UploadBlobAsync("mixed/face.png", BinaryData.FromBytes(Fer2013Images.EncodePng(Fer2013Images.ReadRows(RepoPaths.PublicTestSlice)[0].Gray48)));
        foreach (var name in new[] { "mixed/IMG_0001.HEIC", "mixed/_READY" })
            await container.UploadBlobAsync(name, BinaryData.FromString("not decoded"));

        var result = await CliRunner.RunAsync("submit", $"{_container}/mixed", "--postgres", _database.ConnectionString, "--blob", TestServices.Blob,
            "--rabbitmq", TestServices.RabbitMq, "--entity-prefix", TestServices.UniqueName("submit-"));
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains($"1 image listed, 1 new, 0 changed, 0 unchanged, 1 queued; 1 other entry was skipped: 1 x {SkipReasons.UndecodablePhotoFormat}",
            result.Output);
    }

    [Fact]
    public async Task Submitting_a_folder_of_heic_photos_says_why_nothing_was_queued()
    {
        var container = _service.GetBlobContainerClient(_container);
        foreach (var name in new[] { "iphone/IMG_0001.HEIC", "iphone/IMG_0002.HEIC", "iphone/notes.txt" })
            await container.UploadBlobAsync(name, BinaryData.FromString("not decoded"));

        await CliRunner.AssertBadInputAsync(
            $"error: no images under {_container}/iphone/ (looked for .png .jpg .jpeg .bmp .gif .webp); 3 other entries were skipped: " +
            $"2 x {SkipReasons.UndecodablePhotoFormat}, 1 x {SkipReasons.NotAnImage}",
            "submit", $"{_container}/iphone", "--postgres", _database.ConnectionString, "--blob", TestServices.Blob,
            "--rabbitmq", TestServices.RabbitMq, "--entity-prefix", TestServices.UniqueName("submit-"));
    }
}
