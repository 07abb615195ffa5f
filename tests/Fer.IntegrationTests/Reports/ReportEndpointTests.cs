extern alias ReportsHost;

namespace Fer.IntegrationTests.Reports;

/// <summary>The Fer.Reports host in-process against a real PostgreSQL database; files go to a temp folder.</summary>
public sealed class ReportEndpointTests : PostgresDatabaseTest
{
    [Fact]
    public async Task Post_makes_a_report_and_get_latest_serves_its_html()
    {
        await using (var db = _database.CreateContext())
            await KnownResults.SeedAsync(db);
        var folder = Directory.CreateTempSubdirectory("fer-report-host-");
        try
        {
            await using var host = new WebApplicationFactory<ReportsHost::Program>().WithWebHostBuilder(web =>
            {
                web.UseSetting("ConnectionStrings:Postgres", _database.ConnectionString);
                web.UseSetting("Fer:Reports:Folder", folder.FullName);
                web.UseSetting("Fer:Reports:Nightly", "false");
                web.UseSetting("Fer:Reports:Thumbnails", "false"); // no Azurite needed for this test
            });
            using var client = host.CreateClient();

            var missing = await client.GetAsync("/reports/faces/latest");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

            var created = await client.PostAsync("/reports/faces", null);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/reports/faces/latest", created.Headers.Location?.OriginalString);
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(0.6, body.GetProperty("accuracy").GetDouble(), 9);
            Assert.Equal(10, body.GetProperty("labelled").GetInt64());
            Assert.True(File.Exists(body.GetProperty("html").GetString()));

            var latest = await client.GetAsync("/reports/faces/latest");
            Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
            Assert.Equal("text/html", latest.Content.Headers.ContentType?.MediaType);
            var html = await latest.Content.ReadAsStringAsync();
            Assert.Contains("<span id=\"dataset-name\">faces</span>", html);
            Assert.Contains("60.0%", html);

            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/reports/no-such-dataset", null)).StatusCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Distributed_reports_are_written_to_blob_storage_under_reports_dataset_timestamp()
    {
        await using (var db = _database.CreateContext())
            await KnownResults.SeedAsync(db);
        var containerName = $"fer-reports-test-{Guid.NewGuid():N}"[..40];
        var container = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(containerName);
        try
        {
            await using var host = new WebApplicationFactory<ReportsHost::Program>().WithWebHostBuilder(web =>
            {
                web.UseSetting("ConnectionStrings:Postgres", _database.ConnectionString);
                web.UseSetting("ConnectionStrings:Blob", TestServices.Blob);
                web.UseSetting("Fer:Reports:Container", containerName);
                web.UseSetting("Fer:Reports:Nightly", "false");
            });
            using var client = host.CreateClient();

            var created = await client.PostAsync("/reports/faces", null);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            var names = new List<string>();
            await foreach (var blob in container.GetBlobsAsync())
                names.Add(blob.Name);
            Assert.Equal(3, names.Count);
            Assert.All(names, n => Assert.Matches(@"^reports/faces/\d{8}T\d{6}\.\d{3}Z\.(html|json|md)$", n));
            var json = (await container.GetBlobClient(names.Single(n => n.EndsWith(".json"))).DownloadContentAsync()).Value.Content.ToString();
            Assert.Equal(0.6, JsonDocument.Parse(json).RootElement.GetProperty("accuracy").GetDouble(), 9);
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }
}
