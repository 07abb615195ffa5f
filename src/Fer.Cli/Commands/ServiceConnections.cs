using Microsoft.Extensions.Configuration;

namespace Fer.Cli.Commands;

/// <summary>
/// Connection options of the verbs that talk to the distributed services. Unset options fall back to the
/// environment (ConnectionStrings__Postgres, ConnectionStrings__RabbitMq, ConnectionStrings__Blob, Fer__Bus__EntityPrefix),
/// then to the local development services.
/// </summary>
public static class ServiceConnections
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer";
    public const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";
    public const string DefaultBlob = "UseDevelopmentStorage=true";

    public static Option<string?> Postgres() => new("--postgres") { Description = "PostgreSQL connection string (default: $ConnectionStrings__Postgres or the local service)" };
    public static Option<string?> RabbitMq() => new("--rabbitmq") { Description = "RabbitMQ amqp:// URI (default: $ConnectionStrings__RabbitMq or the local service)" };
    public static Option<string?> Blob() => new("--blob") { Description = "Blob storage connection string (default: $ConnectionStrings__Blob or Azurite)" };
    public static Option<string?> EntityPrefix() => new("--entity-prefix") { Description = "Queue/exchange name prefix the workers use (default: $Fer__Bus__EntityPrefix)" };

    /// <summary>Environment first, then the given values where set.</summary>
    public static IConfiguration Build(string? postgres = null, string? rabbitMq = null, string? blob = null, string? entityPrefix = null)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = DefaultPostgres,
            ["ConnectionStrings:RabbitMq"] = DefaultRabbitMq,
            ["ConnectionStrings:Blob"] = DefaultBlob,
        };
        var overrides = new Dictionary<string, string?>();
        if (postgres is not null) overrides["ConnectionStrings:Postgres"] = postgres;
        if (rabbitMq is not null) overrides["ConnectionStrings:RabbitMq"] = rabbitMq;
        if (blob is not null) overrides["ConnectionStrings:Blob"] = blob;
        if (entityPrefix is not null) overrides["Fer:Bus:EntityPrefix"] = entityPrefix;
        return new ConfigurationBuilder()
            .AddInMemoryCollection(defaults)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
    }
}
