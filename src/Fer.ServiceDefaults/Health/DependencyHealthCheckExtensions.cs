using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Fer.ServiceDefaults.Health;

/// <summary>
/// Readiness checks for FerBatch's dependencies. RabbitMQ needs none here: MassTransit registers its
/// own bus health check when the bus is added.
/// </summary>
public static class DependencyHealthCheckExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>PostgreSQL readiness from a connection string; the check owns one pooled data source.</summary>
    public static IHealthChecksBuilder AddPostgreSqlCheck(this IHealthChecksBuilder builder, string connectionString, string name = "postgresql")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Built once per registration, not per probe: probes then reuse one small pool.
        var dataSource = new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(connectionString)
        {
            ConnectionStringBuilder = { Timeout = (int)CheckTimeout.TotalSeconds, MaxPoolSize = 2 },
        }.Build());
        return builder.Add(new HealthCheckRegistration(name, _ => new PostgreSqlHealthCheck(dataSource.Value),
            HealthStatus.Unhealthy, [HealthTags.Ready], CheckTimeout));
    }

    /// <summary>Blob storage readiness from a connection string (e.g. <c>UseDevelopmentStorage=true</c>).</summary>
    public static IHealthChecksBuilder AddBlobStorageCheck(this IHealthChecksBuilder builder, string connectionString, string name = "blob-storage")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var client = new Lazy<BlobServiceClient>(() => new BlobServiceClient(connectionString, new BlobClientOptions
        {
            // A probe must answer within its timeout, not after the SDK's default retries.
            Retry = { MaxRetries = 0, NetworkTimeout = CheckTimeout },
        }));
        return builder.Add(new HealthCheckRegistration(name, _ => new BlobStorageHealthCheck(client.Value),
            HealthStatus.Unhealthy, [HealthTags.Ready], CheckTimeout));
    }
}
