using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Fer.Data.Entities;
using Fer.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fer.IntegrationTests.Security;

/// <summary>
/// deploy/sql/worker-role.sql applied to a fresh database (under a unique role name, roles being cluster-wide); a real
/// worker connected as that role scores a folder end to end, and the role cannot do what a worker never needs to.
/// </summary>
public sealed class WorkerRoleTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private readonly string _role = TestServices.UniqueName("fer_worker_");
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly string _prefix = TestServices.UniqueName("role-");
    private readonly string _container = TestServices.UniqueName("role-");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var script = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "sql", "worker-role.sql"));
        await using var owner = NpgsqlDataSource.Create(_database.ConnectionString);
        await using (var apply = owner.CreateCommand(script.Replace("fer_worker", _role)))
            await apply.ExecuteNonQueryAsync();
        await using (var password = owner.CreateCommand($"ALTER ROLE \"{_role}\" PASSWORD '{_password}'"))
            await password.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container).DeleteIfExistsAsync();
        await BrokerCleanup.DeleteAsync(_prefix);
        await _database.DisposeAsync(); // drops the database, and with it the role's grants
        await using var admin = NpgsqlDataSource.Create(TestServices.Postgres);
        await using var drop = admin.CreateCommand($"DROP ROLE IF EXISTS \"{_role}\"");
        await drop.ExecuteNonQueryAsync();
    }

    private string WorkerConnectionString => new NpgsqlConnectionStringBuilder(_database.ConnectionString)
    {
        Username = _role,
        Password = _password,
    }.ConnectionString;

    [Fact]
    public async Task A_worker_connected_as_the_restricted_role_scores_and_fails_images()
    {
        var blobs = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container);
        await blobs.CreateIfNotExistsAsync();
        var rows = Fer2013Images.ReadRows(RepositoryPaths.PublicTestSlice).Take(20).ToList();
        foreach (var row in rows)
            await blobs.UploadBlobAsync($"faces/{Fer2013Images.RelativePath(row)}", BinaryData.FromBytes(Fer2013Images.EncodePng(row.Gray48)));
        await blobs.UploadBlobAsync("faces/broken.png", BinaryData.FromBytes("not an image"u8.ToArray()));

        // Ingest runs as the owner; only the worker uses the restricted login.
        var ownerSettings = PipelineHosts.BaseSettings(_database.ConnectionString, _prefix);
        using var worker = await PipelineHosts.StartWorkerAsync(PipelineHosts.BaseSettings(WorkerConnectionString, _prefix), "restricted-worker");
        var (ingest, address) = await PipelineHosts.StartIngestAsync(ownerSettings, _container);
        try
        {
            using var http = new HttpClient { BaseAddress = address };
            var submit = await http.PostAsync($"/datasets/{_container}/faces/submit", null);
            Assert.True(submit.IsSuccessStatusCode, await submit.Content.ReadAsStringAsync());

            await using var db = _database.CreateContext();
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
    public async Task The_restricted_role_cannot_do_what_a_worker_never_needs(string sql)
    {
        await using var worker = NpgsqlDataSource.Create(WorkerConnectionString);
        await using var command = worker.CreateCommand(sql);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.True(ex.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{ex.SqlState}: {ex.MessageText}");
    }
}
