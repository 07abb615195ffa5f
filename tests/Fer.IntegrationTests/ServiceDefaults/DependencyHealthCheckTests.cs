using Fer.ServiceDefaults.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Fer.IntegrationTests.ServiceDefaults;

/// <summary>The readiness checks against the real PostgreSQL and Azurite started by scripts/services.sh.</summary>
public sealed class DependencyHealthCheckTests
{
    private static readonly string Postgres = TestServices.Postgres;

    private static readonly string Blob = TestServices.Blob;

    private static async Task<HealthReport> RunChecksAsync(Action<IHealthChecksBuilder> register)
    {
        var services = new ServiceCollection().AddLogging();
        register(services.AddHealthChecks());
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    }

    [Fact]
    public async Task PostgreSql_check_is_healthy_against_the_running_server()
    {
        var report = await RunChecksAsync(checks => checks.AddPostgreSqlCheck(Postgres));

        Assert.Equal(HealthStatus.Healthy, report.Entries["postgresql"].Status);
    }

    [Fact]
    public async Task PostgreSql_check_is_unhealthy_with_a_wrong_password()
    {
        var wrongPassword = new NpgsqlConnectionStringBuilder(Postgres) { Password = "not-the-password" }.ConnectionString;

        var report = await RunChecksAsync(checks => checks.AddPostgreSqlCheck(wrongPassword));

        var entry = report.Entries["postgresql"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.IsAssignableFrom<NpgsqlException>(entry.Exception);
    }

    [Fact]
    public async Task PostgreSql_check_is_unhealthy_when_nothing_listens()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(Postgres) { Host = "127.0.0.1", Port = 1 }.ConnectionString;

        var report = await RunChecksAsync(checks => checks.AddPostgreSqlCheck(closedPort));

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["postgresql"].Status);
    }

    [Fact]
    public async Task Blob_check_is_healthy_against_the_running_emulator()
    {
        var report = await RunChecksAsync(checks => checks.AddBlobStorageCheck(Blob));

        Assert.Equal(HealthStatus.Healthy, report.Entries["blob-storage"].Status);
    }

    [Fact]
    public async Task Blob_check_is_unhealthy_when_the_account_key_is_wrong()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={wrongKey};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

        var report = await RunChecksAsync(checks => checks.AddBlobStorageCheck(connectionString));

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["blob-storage"].Status);
        Assert.Contains("Blob storage unreachable", report.Entries["blob-storage"].Description);
    }
}
