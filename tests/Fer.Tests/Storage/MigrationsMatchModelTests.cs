namespace Fer.Tests.Storage;

/// <summary>
/// A model change always comes with a migration for each provider. The embedded host skips EF Core's own check at start-up
/// (<see cref="FerSqliteDbContext.Open"/>), so this is where a forgotten migration shows.
/// </summary>
public class MigrationsMatchModelTests
{
    [Fact]
    public void The_sqlite_migrations_match_the_model()
    {
        using var db = new FerSqliteDbContext(new DbContextOptionsBuilder<FerSqliteDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a SQLite migration: dotnet ef migrations add <Name> --context FerSqliteDbContext -o Migrations/Sqlite");
    }

    [Fact]
    public void The_postgres_migrations_match_the_model()
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a PostgreSQL migration: dotnet ef migrations add <Name> --context FerDbContext");
    }
}
