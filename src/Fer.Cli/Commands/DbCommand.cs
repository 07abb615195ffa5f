using Microsoft.EntityFrameworkCore;

namespace Fer.Cli.Commands;

/// <summary><c>fer db migrate</c>: bring a PostgreSQL database to the current schema.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string (default: $ConnectionStrings__Postgres or the local service)" };
        var migrate = GuardedCommand.Create("migrate", "Apply pending EF Core migrations to PostgreSQL", [connection], async (parseResult, cancellationToken) =>
        {
            var configured = ServiceConnections.Build(postgres: parseResult.GetValue(connection));
            var options = new DbContextOptionsBuilder<FerDbContext>().UseNpgsql(configured["ConnectionStrings:Postgres"]).Options;
            await using var db = new FerDbContext(options);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            await output.WriteLineAsync(pending.Count == 0
                ? "Database is up to date."
                : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
            return ExitCodes.Success;
        });
        return new Command("db", "Database administration") { migrate };
    }
}
