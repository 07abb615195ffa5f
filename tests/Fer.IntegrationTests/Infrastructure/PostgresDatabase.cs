using Fer.Data.Persistence;
using Fer.Data;
using Fer.Pipeline.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fer.IntegrationTests.Infrastructure;

/// <summary>A fresh, migrated PostgreSQL database per test class, dropped afterwards.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string Name { get; } = TestServices.UniqueName("fer_test_");
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(TestServices.Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Database = Name }.ConnectionString;
        await using var db = CreateContext();
        await DatabaseSchema.ApplyAsync(db, CancellationToken.None);
    }

    public FerDbContext CreateContext() => new(new DbContextOptionsBuilder<FerDbContext>().UseNpgsql(ConnectionString).Options);

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServices.Postgres);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
