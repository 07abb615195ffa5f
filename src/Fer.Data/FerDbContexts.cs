using Microsoft.EntityFrameworkCore;

namespace Fer.Data;

/// <summary>Builds a <see cref="FerDbContext"/> for either store, so tools and tests open databases the same way.</summary>
public static class FerDbContexts
{
    public static FerDbContext ForPostgres(string connectionString) =>
        new(new DbContextOptionsBuilder<FerDbContext>().UseNpgsql(connectionString).Options);

    /// <summary>Embedded mode: one SQLite file.</summary>
    public static FerDbContext ForSqlite(string databaseFile) =>
        new(new DbContextOptionsBuilder<FerDbContext>().UseSqlite($"Data Source={databaseFile}").Options);
}
