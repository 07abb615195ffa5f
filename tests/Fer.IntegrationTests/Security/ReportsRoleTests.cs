extern alias ReportsHost;

namespace Fer.IntegrationTests.Security;

/// <summary>
/// deploy/sql/reports-role.sql applied to a fresh database (under a unique role name); the real Fer.Reports host
/// connected as that role makes and serves a report, and the role cannot change results.
/// </summary>
public sealed class ReportsRoleTests : IAsyncLifetime
{
    private readonly RestrictedRoleDatabase _database = new("reports-role.sql", "fer_reports");

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private string ReportsConnectionString => _database.RoleConnectionString;

    [Fact]
    public async Task The_reports_host_connected_as_the_restricted_role_makes_and_serves_a_report()
    {
        await using (var db = _database.Owner.CreateContext())
            await KnownResults.SeedAsync(db);
        var folder = Directory.CreateTempSubdirectory("fer-report-role-");
        try
        {
            await using var host = new WebApplicationFactory<ReportsHost::Program>().WithWebHostBuilder(web =>
            {
                web.UseSetting("ConnectionStrings:Postgres", ReportsConnectionString);
                web.UseSetting("Fer:Database:MigrateOnStartup", "false");
                web.UseSetting("Fer:Reports:Folder", folder.FullName);
                web.UseSetting("Fer:Reports:Nightly", "false");
                web.UseSetting("Fer:Reports:Thumbnails", "false");
            });
            using var client = host.CreateClient();

            var created = await client.PostAsync("/reports/faces", null);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/reports/faces/latest")).StatusCode);
            await using var owner = _database.Owner.CreateContext();
            Assert.Equal(1, await owner.Reports.CountAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("UPDATE predictions SET happy = 1")]
    [InlineData("UPDATE images SET state = 0")]
    [InlineData("DELETE FROM reports")]
    [InlineData("UPDATE datasets SET name = 'x'")]
    [InlineData("INSERT INTO images (dataset_id, path, e_tag, size_bytes, state, discovered_at) VALUES (1, 'x.png', 'e', 1, 0, now())")]
    [InlineData("CREATE TABLE public.intruder (id int)")]
    public Task The_restricted_role_cannot_change_results(string sql) => _database.AssertDeniedAsync(sql);
}
