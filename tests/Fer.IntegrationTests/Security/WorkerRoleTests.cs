using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Fer.Data.Entities;
using Fer.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fer.IntegrationTests.Security;

/// <summary>
/// deploy/sql/worker-role.sql applied to a fresh database (under a unique role name, roles being cluster-wide); a real
/// worker connected as that role scores a folder end to end, and the role cannot do what a worker never needs to.
/// </summary>
public sealed class WorkerRoleTests : IAsyncLifetime
{
    private readonly RestrictedRoleDatabase _database = new("worker-role.sql", "fer_worker");
    private readonly string _prefix = TestServices.UniqueName("role-");
    private readonly string _container = TestServices.UniqueName("role-");

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container).DeleteIfExistsAsync();
        await BrokerCleanup.DeleteAsync(_prefix);
        await _database.DisposeAsync();
    }

    private string WorkerConnectionString => _database.RoleConnectionString;

    [Fact]
    public async Task A_worker_connected_as_the_restricted_role_scores_and_fails_images()
    {
        var blobs = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container);
        await blobs.CreateIfNotExistsAsync();
        var rows = Fer2013Images.ReadRows(RepoPaths.PublicTestSlice).Take(20).ToList();
        foreach (var row in rows)
            await blobs.UploadBlobAsync($"faces/{Fer2013Images.RelativePath(row)}", BinaryData.FromBytes(Fer2013Images.EncodePng(row.Gray48)));
        await blobs.UploadBlobAsync("faces/broken.png", BinaryData.FromBytes("not an image"u8.ToArray()));

        // Ingest runs as the owner; only the worker uses the restricted login.
        var ownerSettings = PipelineHosts.BaseSettings(_database.Owner.ConnectionString, _prefix);
        using var worker = await PipelineHosts.StartWorkerAsync(PipelineHosts.BaseSettings(WorkerConnectionString, _prefix), "restricted-worker");
        var (ingest, address) = await PipelineHosts.StartIngestAsync(ownerSettings, _container);
        try
        {
            using var http = new HttpClient { BaseAddress = address };
            var submit = await http.PostAsync($"/datasets/{_container}/faces/submit", null);
            Assert.True(submit.IsSuccessStatusCode, await submit.Content.ReadAsStringAsync());

            await using var db = _database.Owner.CreateContext();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (await db.Images.CountAsync(i => i.State == ImageState.Pending) > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            var images = await db.Images.Include(i => i.Predictions).AsNoTracking().ToListAsync();
            Assert.Equal(21, images.Count);
            Assert.Equal(20, images.Count(i => i.State == ImageState.Scored && i.LargestFace?.WorkerId == "restricted-worker"));
            var broken = Assert.Single(images, i => i.State == ImageState.Failed);
            Assert.Contains("not a decodable image", broken.FailureReason);
            Assert.Single(await db.ImageFailures.AsNoTracking().ToListAsync());
            Assert.NotNull((await db.Datasets.AsNoTracking().SingleAsync()).ResultsChangedAt);
        }
        finally
        {
            await ingest.StopAsync();
            await ingest.DisposeAsync();
            await worker.StopAsync();
        }
    }

    [Theory]
    [InlineData("DELETE FROM predictions")]
    [InlineData("DELETE FROM images")]
    [InlineData("UPDATE images SET path = 'elsewhere.png'")]
    [InlineData("SELECT * FROM reports")]
    [InlineData("SELECT name FROM datasets")]
    [InlineData("INSERT INTO images (dataset_id, path, e_tag, size_bytes, state, discovered_at) VALUES (1, 'x.png', 'e', 1, 0, now())")]
    [InlineData("CREATE TABLE public.intruder (id int)")]
    [InlineData("DROP TABLE predictions")]
    public Task The_restricted_role_cannot_do_what_a_worker_never_needs(string sql) => _database.AssertDeniedAsync(sql);
}
