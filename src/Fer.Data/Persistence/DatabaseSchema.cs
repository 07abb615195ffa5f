using Fer.Data;
using Microsoft.EntityFrameworkCore;

namespace Fer.Data.Persistence;

/// <summary>Brings a database up to the current model: each provider's own migrations (see <see cref="SqliteSchema"/>).</summary>
public static class DatabaseSchema
{
    public static async Task ApplyAsync(FerDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // The SQLite migrations run on their own context type, whose model EF builds first (a third of a second, on one
            // core, at every `fer run` start); the model every later query needs is built meanwhile on another thread.
            // (db is used on this thread again only once that build is done.)
            var connectionString = db.Database.GetConnectionString()!;
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
}
