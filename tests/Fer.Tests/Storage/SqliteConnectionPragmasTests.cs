using Fer.Data;
using Fer.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Tests.Storage;

/// <summary>
/// The hosts' SQLite connections commit without an fsync per batch (WAL + synchronous=NORMAL) and wait for a busy writer in
/// SQLite's busy handler (busy_timeout), every time one is opened.
/// </summary>
public sealed class SqliteConnectionPragmasTests : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Every_connection_the_hosts_open_runs_at_synchronous_normal_with_a_busy_timeout()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_work.Path, "fer.db")}",
            [$"{DatabaseOptions.Section}:Provider"] = DatabaseProviders.Sqlite,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddFerDbContext(configuration).BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<FerDbContext>>();

        // Twice: the first open makes the physical connection, the second takes it back from the pool.
        for (var open = 0; open < 2; open++)
        {
            await using var db = await factory.CreateDbContextAsync();
            var level = await db.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync();
            Assert.Equal(1, level); // 0 OFF, 1 NORMAL, 2 FULL (SQLite's default)
            var busyTimeout = await db.Database.SqlQueryRaw<long>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout").SingleAsync();
            Assert.Equal(SqliteConnectionPragmas.BusyTimeoutMilliseconds, busyTimeout);
        }

        // A fresh physical connection without the hosts' registration keeps SQLite's default: the figure above is the interceptor's.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var plain = FerDbContexts.ForSqlite(Path.Combine(_work.Path, "fer.db"));
        Assert.Equal(2, await plain.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync());
        Assert.Equal(0, await plain.Database.SqlQueryRaw<long>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout").SingleAsync());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Dispose();
    }
}
