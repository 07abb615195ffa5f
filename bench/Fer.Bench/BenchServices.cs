using Npgsql;
using RabbitMQ.Client;

namespace Fer.Bench;

/// <summary>The local services (same env overrides as the integration tests), and the per-row databases and broker entities.</summary>
public static class BenchServices
{
    public static string Postgres => Environment.GetEnvironmentVariable("FER_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer";
    public static string RabbitMq => Environment.GetEnvironmentVariable("FER_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/";
    public static string Blob => Environment.GetEnvironmentVariable("FER_TEST_BLOB") ?? "UseDevelopmentStorage=true";

    public static string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString;

    public static async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes the queues and exchanges the hosts declared under <paramref name="prefix"/>.</summary>
    public static async Task DeleteBrokerEntitiesAsync(string prefix)
    {
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { $"{prefix}-score-image-batch", $"{prefix}-score-image-batch_error", $"{prefix}-score-image-batch_skipped" })
            await channel.QueueDeleteAsync(queue);
        foreach (var exchange in new[]
                 {
                     $"{prefix}-score-image-batch", $"{prefix}-score-image-batch_error", $"{prefix}-score-image-batch_skipped",
                     $"{prefix}.Fer.Contracts:ScoreImage", $"{prefix}.MassTransit:Fault--Fer.Contracts:ScoreImage--", $"{prefix}.MassTransit:Fault",
                 })
            await channel.ExchangeDeleteAsync(exchange);
    }
}
