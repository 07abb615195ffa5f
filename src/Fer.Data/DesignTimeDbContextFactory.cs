using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fer.Data;

/// <summary>
/// Lets `dotnet ef migrations add` build the PostgreSQL model without a host.
/// Migrations are generated for PostgreSQL only; SQLite (embedded mode) creates its schema from the model.
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
