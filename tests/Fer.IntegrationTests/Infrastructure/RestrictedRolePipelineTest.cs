namespace Fer.IntegrationTests.Infrastructure;

/// <summary>
/// A role test of a pipeline host: <see cref="RestrictedRoleDatabase"/> (one of deploy/sql/*-role.sql on a fresh
/// database) and the test's own container and broker prefix, removed with their blobs and queues afterwards. The hosts
/// run on the folder <see cref="Folder"/> of that container.
/// </summary>
public abstract class RestrictedRolePipelineTest(string script, string templateRole, string namesPrefix) : IAsyncLifetime
{
    protected const string Folder = "faces";

    // xUnit makes a new instance per test, so each test has a database, a role and names of its own.
    protected readonly RestrictedRoleDatabase _database = new(script, templateRole);
    protected readonly PipelineNames _names = new(namesPrefix);

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _names.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Host settings that connect as the database's owner.</summary>
    protected Dictionary<string, string?> OwnerSettings => PipelineHosts.BaseSettings(_database.Owner.ConnectionString, _names.EntityPrefix);

    /// <summary>Host settings that connect as the restricted role.</summary>
    protected Dictionary<string, string?> RoleSettings => PipelineHosts.BaseSettings(_database.RoleConnectionString, _names.EntityPrefix);

    /// <summary>Makes the test's container and uploads <paramref name="rows"/> into <see cref="Folder"/> as PNGs.</summary>
    protected async Task<BlobContainerClient> UploadFacesAsync(IEnumerable<Fer2013Images.Row> rows)
    {
        var blobs = _names.Blobs;
        await blobs.CreateIfNotExistsAsync();
        await Fer2013Images.UploadAsync(blobs, Folder, rows);
        return blobs;
    }

    /// <summary>Starts a worker, then an ingest host for the test's container; disposing the result stops both.</summary>
    protected async Task<RunningHosts> StartHostsAsync(Dictionary<string, string?> workerSettings, string workerId, Dictionary<string, string?> ingestSettings)
    {
        var worker = await PipelineHosts.StartWorkerAsync(workerSettings, workerId);
        try
        {
            var (ingest, address) = await PipelineHosts.StartIngestAsync(ingestSettings, _names.Container);
            return new RunningHosts(worker, ingest, address);
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    /// <summary>A worker and an ingest host a test started, with a client of the ingest host.</summary>
    protected sealed class RunningHosts(IHost worker, WebApplication ingest, Uri ingestAddress) : IAsyncDisposable
    {
        public HttpClient Http { get; } = new() { BaseAddress = ingestAddress };

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await ingest.StopAsync();
            await ingest.DisposeAsync();
            await worker.StopAsync();
            worker.Dispose();
        }
    }

    /// <summary>Submits <see cref="Folder"/> through the ingest host <paramref name="http"/> talks to, asserting it was accepted.</summary>
    protected async Task SubmitAsync(HttpClient http)
    {
        var response = await http.PostAsync($"/datasets/{_names.Container}/{Folder}/submit", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
