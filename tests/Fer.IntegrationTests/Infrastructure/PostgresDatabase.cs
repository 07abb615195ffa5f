using Fer.Data.Persistence;
using Fer.Pipeline.Persistence;

namespace Fer.IntegrationTests.Infrastructure;

/// <summary>A fresh, migrated PostgreSQL database per test class, dropped afterwards.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string Name { get; } = TestServices.UniqueName("fer_test_");
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await TestServices.CreateDatabaseAsync(Name);
        ConnectionString = TestServices.PostgresFor(Name);
        await using var db = CreateContext();
        await DatabaseSchema.ApplyAsync(db, CancellationToken.None);
    }

    public FerDbContext CreateContext() => new(new DbContextOptionsBuilder<FerDbContext>().UseNpgsql(ConnectionString).Options);

    public Task DisposeAsync() => TestServices.DropDatabaseAsync(Name);
}
