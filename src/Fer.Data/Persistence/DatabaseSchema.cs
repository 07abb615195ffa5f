using Fer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Fer.Data.Persistence;

/// <summary>Brings a database up to the current model: each provider's own migrations (see <see cref="SqliteSchema"/>).</summary>
public static class DatabaseSchema
{
    public static async Task ApplyAsync(FerDbContext db, CancellationToken cancellationToken)
    {
        if (SqliteConnectionString(db.ConstructionOptions) is { } connectionString)
        {
            // The SQLite migrations run on their own context type, whose model EF builds first (a third of a second, on one
            // core, at every `fer run` start); the model every later query needs is built meanwhile on another thread.
            // Nothing here may touch db.Database before that: its first use builds the model on the calling thread.
            var queryModel = Task.Run(() => db.Model, cancellationToken);
            try
            {
                await SqliteSchema.MigrateAsync(connectionString, cancellationToken);
            }
            finally
            {
                await queryModel.ContinueWith(_ => { }, TaskScheduler.Default); // the caller disposes db: not under the build
            }
            await queryModel;
            // WAL (kept in the file): progress queries and the ingestor read while a batch writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        else
            await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>The SQLite file the options open, or null for another provider: read from the options alone.</summary>
    private static string? SqliteConnectionString(DbContextOptions options)
    {
        // The provider's options extension is defined in the provider's own assembly (its type is EF-internal API).
        var relational = RelationalOptionsExtension.Extract(options);
        if (relational.GetType().Assembly != typeof(SqliteDbContextOptionsBuilder).Assembly)
            return null;
        return relational.ConnectionString ?? relational.Connection?.ConnectionString
            ?? throw new InvalidOperationException("the SQLite options name neither a connection string nor a connection");
    }
}
