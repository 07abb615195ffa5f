using Microsoft.EntityFrameworkCore;

namespace Fer.Data;

/// <summary>
/// The same model as <see cref="FerDbContext"/>, typed apart only so that EF Core keeps a second set of migrations
/// for SQLite (Migrations/Sqlite): migrations are chosen by context type, and the SQL of the two providers differs.
/// Only <see cref="SqliteSchema"/> uses it; everything else opens SQLite files as a plain <see cref="FerDbContext"/>.
/// </summary>
public sealed class FerSqliteDbContext(DbContextOptions<FerSqliteDbContext> options) : FerDbContext(options)
{
    /// <remarks>
    /// EF Core's check for model changes without a migration is turned off here: it diffs a design-time model against
    /// the snapshot at every `fer run` start. MigrationsMatchModelTests runs the same check in CI for both providers.
    /// </remarks>
    public static FerSqliteDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<FerSqliteDbContext>().UseSqlite(connectionString)
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options);
}
