using Fer.ServiceDefaults.Health;
using Fer.ServiceDefaults.Logging;
using Fer.ServiceDefaults.Security;
using Fer.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// Same namespace as the host builders, as in the .NET Aspire service-defaults template: hosts need no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every FerBatch host shares: structured logs, OpenTelemetry, health checks and the
/// operational endpoints. A host's Program.cs calls <see cref="BuildFerHost"/>, which calls
/// <see cref="AddServiceDefaults"/> on its builder and <see cref="MapDefaultEndpoints"/> on its app.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Builds a FerBatch host in the order all three share: the service defaults, then the host's own services;
    /// once built, the operational endpoints and, where the host serves endpoints of its own, those behind the API key
    /// (a host without any, the worker, runs no API-key middleware).
    /// </summary>
    public static WebApplication BuildFerHost(this WebApplicationBuilder builder, Action<IServiceCollection, IConfiguration> addHostServices,
        Action<IEndpointRouteBuilder>? mapHostEndpoints = null)
    {
        builder.AddServiceDefaults();
        addHostServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        if (mapHostEndpoints is not null)
        {
            app.RequireApiKey();
            mapHostEndpoints(app);
        }
        return app;
    }

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddStructuredConsoleLogging();
        builder.AddFerOpenTelemetry();

        builder.Services.AddHealthChecks()
            // Liveness only says the process answers; dependencies belong to readiness.
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        // Every host reads or writes blobs; a probe-specific client answers within the probe's timeout.
        if (builder.Configuration.GetConnectionString("Blob") is { Length: > 0 } blob)
            builder.Services.AddHealthChecks().AddBlobStorageCheck(blob);

        builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName);
        return builder;
    }

    /// <summary>
    /// Maps <c>/healthz</c> (liveness: checks tagged "live"), <c>/readyz</c> (readiness: every check)
    /// and <c>/metrics</c> (Prometheus scrape). None of them needs the API key.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPaths.Liveness, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthReportJsonWriter.WriteAsync,
        }).AllowWithoutApiKey();

        app.MapHealthChecks(HealthEndpointPaths.Readiness, new HealthCheckOptions
        {
            ResponseWriter = HealthReportJsonWriter.WriteAsync,
        }).AllowWithoutApiKey();

        app.MapPrometheusScrapingEndpoint(HealthEndpointPaths.Metrics).AllowWithoutApiKey();
        return app;
    }
}
