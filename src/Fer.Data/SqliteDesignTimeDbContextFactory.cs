using Microsoft.EntityFrameworkCore.Design;

namespace Fer.Data;

/// <summary>Lets `dotnet ef migrations add --context FerSqliteDbContext -o Migrations/Sqlite` build the SQLite model.</summary>
public sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<FerSqliteDbContext>
{
    public FerSqliteDbContext CreateDbContext(string[] args) => FerSqliteDbContext.Open("Data Source=design-time.db");
}
