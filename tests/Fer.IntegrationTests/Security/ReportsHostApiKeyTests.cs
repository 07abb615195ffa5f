extern alias ReportsHost;

namespace Fer.IntegrationTests.Security;

/// <summary>The Fer.Reports host's own Program.cs with an API key configured: reports need it, health and metrics do not.</summary>
public sealed class ReportsHostApiKeyTests : PostgresDatabaseTest
{
    [Fact]
    public async Task Report_endpoints_need_the_key_and_health_does_not()
    {
        var folder = Directory.CreateTempSubdirectory("fer-report-key-");
        try
        {
            await using var host = new WebApplicationFactory<ReportsHost::Program>().WithWebHostBuilder(web =>
            {
                web.UseSetting("ConnectionStrings:Postgres", _database.ConnectionString);
                web.UseSetting("Fer:ApiKey", "reports-key");
                web.UseSetting("Fer:Reports:Folder", folder.FullName);
                web.UseSetting("Fer:Reports:Nightly", "false");
                web.UseSetting("Fer:Reports:Thumbnails", "false");
            });
            using var client = host.CreateClient();

            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/reports/faces", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/reports/faces/latest")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);

            client.DefaultRequestHeaders.Add("X-Api-Key", "reports-key");
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/reports/faces/latest")).StatusCode); // past the key check
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
