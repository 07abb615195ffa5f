using Fer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Data.Persistence;

/// <summary>Applies the schema at start-up when <c>Fer:Database:MigrateOnStartup</c> is set; registered before the bus starts.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<FerDbContext> factory, IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
            return;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await DatabaseSchema.ApplyAsync(db, cancellationToken);
        logger.LogInformation("Database schema is up to date ({Provider})", db.Database.ProviderName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
