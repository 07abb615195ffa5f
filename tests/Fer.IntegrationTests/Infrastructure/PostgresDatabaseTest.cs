namespace Fer.IntegrationTests.Infrastructure;

/// <summary>A test class whose every test gets a fresh, migrated PostgreSQL <see cref="PostgresDatabase"/>, dropped when the test ends.</summary>
public abstract class PostgresDatabaseTest : IAsyncLifetime
{
    // xUnit makes a new instance per test, so each test has a database of its own.
    protected readonly PostgresDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();
}
