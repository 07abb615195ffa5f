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

    /// <summary><see cref="Poll.UntilAsync"/> with a fresh context for each try, so each sees what the hosts committed since.</summary>
    public Task UntilAsync(Func<FerDbContext, Task<bool>> condition, TimeSpan timeout, string awaited) =>
        Poll.UntilAsync(() => OnFreshContextAsync(condition), timeout, awaited);

    /// <summary><see cref="Poll.TryUntilAsync"/> with a fresh context for each try, so each sees what the hosts committed since.</summary>
    public Task<bool> TryUntilAsync(Func<FerDbContext, Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        Poll.TryUntilAsync(() => OnFreshContextAsync(condition), timeout, interval);

    private async Task<bool> OnFreshContextAsync(Func<FerDbContext, Task<bool>> condition)
    {
        await using var db = CreateContext();
        return await condition(db);
    }

    public Task DisposeAsync() => TestServices.DropDatabaseAsync(Name);
}
