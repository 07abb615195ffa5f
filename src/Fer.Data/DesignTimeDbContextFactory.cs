using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fer.Data;

/// <summary>
/// Lets `dotnet ef migrations add` build the PostgreSQL model without a host.
/// These are the PostgreSQL migrations (Migrations/); SQLite has its own set (Migrations/Sqlite, <see cref="FerSqliteDbContext"/>).
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<FerDbContext>
{
    public const string DefaultConnection = "Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer";

    public FerDbContext CreateDbContext(string[] args)
    {
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? DefaultConnection;
        var options = new DbContextOptionsBuilder<FerDbContext>().UseNpgsql(connection).Options;
        return new FerDbContext(options);
    }
}
