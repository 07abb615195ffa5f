using Fer.Data;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Persistence;

/// <summary>Brings a database up to the current model: migrations on PostgreSQL, EnsureCreated on SQLite.</summary>
public static class DatabaseSchema
{
    public static async Task ApplyAsync(FerDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
            await db.Database.EnsureCreatedAsync(cancellationToken);
        else
            await db.Database.MigrateAsync(cancellationToken);
    }
}
