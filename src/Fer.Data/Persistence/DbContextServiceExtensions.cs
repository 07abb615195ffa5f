using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fer.Data.Persistence;

public static class DbContextServiceExtensions
{
    /// <summary>
    /// FerDbContext (as a factory) for the configured provider, the start-up migrator and a database health check:
    /// what every host needs from the database, without the scoring pipeline's prediction writers.
    /// </summary>
    public static IServiceCollection AddFerDbContext(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        if (DatabaseProviders.IsSqlite(options.Provider))
        {
            var connection = configuration.GetConnectionString("Sqlite")
                ?? throw new InvalidOperationException("ConnectionStrings:Sqlite is required when Fer:Database:Provider is sqlite");
            services.AddDbContextFactory<FerDbContext>(o => o.UseSqlite(connection).AddInterceptors(SqliteConnectionPragmas.Instance));
        }
        else
        {
            var connection = configuration.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required (or set Fer:Database:Provider to sqlite)");
            services.AddSingleton(_ => NpgsqlDataSource.Create(connection));
            services.AddDbContextFactory<FerDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        services.AddHostedService<DatabaseInitializer>();
        services.AddHealthChecks().AddDbContextCheck<FerDbContext>("database", tags: ["ready"]);
        return services;
    }
}
