using Fer.Data;
using Npgsql;

namespace Fer.IntegrationTests.Reports;

/// <summary>A uniquely named PostgreSQL database (FER_TEST_POSTGRES server) with the FerBatch schema, dropped afterwards.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer";

    private readonly string _admin;

    private PostgresTestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("FER_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultServer;
        var name = "fer_test_reports_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var database = new PostgresTestDatabase(admin, name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
        await using var db = database.Open();
        await Fer.Pipeline.Persistence.DatabaseSchema.ApplyAsync(db, default); // the migrations production runs
        return database;
    }

    public FerDbContext Open() => FerDbContexts.ForPostgres(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
