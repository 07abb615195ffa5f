using Fer.Data.Persistence;
using Fer.Pipeline.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Pipeline.Persistence;

public static class DatabaseServiceExtensions
{
    /// <summary>
    /// FerDbContext (as a factory), the prediction writer for the configured provider, the start-up migrator
    /// and a database health check.
    /// </summary>
    public static IServiceCollection AddFerDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFerDbContext(configuration);
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (DatabaseProviders.IsSqlite(options.Provider))
        {
            services.AddSingleton<PredictionWriteGate>();
            services.AddSingleton<IPredictionWriter, SqlitePredictionWriter>();
        }
        else
            services.AddSingleton<IPredictionWriter, PostgresPredictionWriter>();
        return services;
    }
}
