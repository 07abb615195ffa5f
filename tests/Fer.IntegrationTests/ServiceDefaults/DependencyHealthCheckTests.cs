using Fer.ServiceDefaults.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Fer.IntegrationTests.ServiceDefaults;

/// <summary>The readiness checks against the real PostgreSQL and Azurite started by scripts/services.sh.</summary>
public sealed class DependencyHealthCheckTests
{
    private static readonly string Postgres = TestServices.Postgres;

    private static readonly string Blob = TestServices.Blob;

    /// <summary>Runs the one check <paramref name="register"/> adds; its entry in the report, looked up by the name it
    /// must be registered under.</summary>
    private static async Task<HealthReportEntry> RunCheckAsync(string name, Action<IHealthChecksBuilder> register)
    {
        var services = new ServiceCollection().AddLogging();
        register(services.AddHealthChecks());
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[name];
    }

    private static Task<HealthReportEntry> PostgreSqlCheckAsync(string connectionString) =>
        RunCheckAsync("postgresql", checks => checks.AddPostgreSqlCheck(connectionString));

    private static Task<HealthReportEntry> BlobCheckAsync(string connectionString) =>
        RunCheckAsync("blob-storage", checks => checks.AddBlobStorageCheck(connectionString));

    [Fact]
    public async Task PostgreSql_check_is_healthy_against_the_running_server() =>
        Assert.Equal(HealthStatus.Healthy, (await PostgreSqlCheckAsync(Postgres)).Status);

    [Fact]
    public async Task PostgreSql_check_is_unhealthy_with_a_wrong_password()
    {
        var wrongPassword = new NpgsqlConnectionStringBuilder(Postgres) { Password = "not-the-password" }.ConnectionString;

        var entry = await PostgreSqlCheckAsync(wrongPassword);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.IsAssignableFrom<NpgsqlException>(entry.Exception);
    }

    [Fact]
    public async Task PostgreSql_check_is_unhealthy_when_nothing_listens()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(Postgres) { Host = "127.0.0.1", Port = 1 }.ConnectionString;

        Assert.Equal(HealthStatus.Unhealthy, (await PostgreSqlCheckAsync(closedPort)).Status);
    }

    [Fact]
    public async Task Blob_check_is_healthy_against_the_running_emulator() =>
        Assert.Equal(HealthStatus.Healthy, (await BlobCheckAsync(Blob)).Status);

    [Fact]
    public async Task Blob_check_is_unhealthy_when_the_account_key_is_wrong()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={wrongKey};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

        var entry = await BlobCheckAsync(connectionString);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("Blob storage unreachable", entry.Description);
    }
}
