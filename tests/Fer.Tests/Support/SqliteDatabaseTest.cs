namespace Fer.Tests.Support;

/// <summary>A test class whose every test gets a fresh, migrated <see cref="SqliteTestDatabase"/>, deleted when the test ends.</summary>
public abstract class SqliteDatabaseTest : IDisposable
{
    // xUnit makes a new instance per test, so each test has a database of its own.
    protected readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();
}
