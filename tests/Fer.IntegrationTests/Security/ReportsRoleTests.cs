extern alias ReportsHost;
using System.Net;
using Fer.IntegrationTests.Infrastructure;
using Fer.Tests.Reports;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fer.IntegrationTests.Security;

/// <summary>
/// deploy/sql/reports-role.sql applied to a fresh database (under a unique role name); the real Fer.Reports host
/// connected as that role makes and serves a report, and the role cannot change results.
/// </summary>
public sealed class ReportsRoleTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private readonly string _role = TestServices.UniqueName("fer_reports_");
    private readonly string _password = Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var script = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "sql", "reports-role.sql"));
        await using var owner = NpgsqlDataSource.Create(_database.ConnectionString);
        await using (var apply = owner.CreateCommand(script.Replace("fer_reports", _role)))
            await apply.ExecuteNonQueryAsync();
        await using (var password = owner.CreateCommand($"ALTER ROLE \"{_role}\" PASSWORD '{_password}'"))
            await password.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(TestServices.Postgres);
        await using var drop = admin.CreateCommand($"DROP ROLE IF EXISTS \"{_role}\"");
        await drop.ExecuteNonQueryAsync();
    }

    private string ReportsConnectionString => new NpgsqlConnectionStringBuilder(_database.ConnectionString)
    {
        Username = _role,
        Password = _password,
    }.ConnectionString;

    [Fact]
    public async Task The_reports_host_connected_as_the_restricted_role_makes_and_serves_a_report()
    {
        await using (var db = _database.CreateContext())
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
            await using var owner = _database.CreateContext();
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
    public async Task The_restricted_role_cannot_change_results(string sql)
    {
        await using var reports = NpgsqlDataSource.Create(ReportsConnectionString);
        await using var command = reports.CreateCommand(sql);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.True(ex.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{ex.SqlState}: {ex.MessageText}");
    }
}
