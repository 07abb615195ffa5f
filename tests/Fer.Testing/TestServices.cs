using Npgsql;

namespace Fer.Testing;

/// <summary>The real local services (loopback development defaults); FER_TEST_* environment variables point everything elsewhere.</summary>
public static class TestServices
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer";
    public const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";
    public const string DefaultBlob = "UseDevelopmentStorage=true";

    public static string Postgres => FromEnvironment("FER_TEST_POSTGRES") ?? DefaultPostgres;
    public static string RabbitMq => FromEnvironment("FER_TEST_RABBITMQ") ?? DefaultRabbitMq;
    public static string Blob => FromEnvironment("FER_TEST_BLOB") ?? DefaultBlob;

    /// <summary>Lower-case, short, unique: valid as a database, container or queue-name prefix.</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 16, 40)];

    /// <summary>The server of <paramref name="server"/> (the local one by default), on another database.</summary>
    public static string PostgresFor(string database, string? server = null) =>
        new NpgsqlConnectionStringBuilder(server ?? Postgres) { Database = database }.ConnectionString;

    public static async Task CreateDatabaseAsync(string database, string? server = null)
    {
        await using var admin = new NpgsqlConnection(server ?? Postgres);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the database even while hosts still hold connections to it (WITH FORCE).</summary>
    public static async Task DropDatabaseAsync(string database, string? server = null)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server ?? Postgres);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    // An empty variable counts as unset, as the health-check tests and the report benchmark already read it.
    private static string? FromEnvironment(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
