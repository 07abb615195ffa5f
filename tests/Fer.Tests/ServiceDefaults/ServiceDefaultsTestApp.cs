using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Fer.Tests.ServiceDefaults;

/// <summary>
/// Builds a real WebApplication with the service defaults on an in-memory test server, the way a
/// FerBatch host composes them, with log output captured instead of written to the console.
/// </summary>
internal static class ServiceDefaultsTestApp
{
    public static async Task<WebApplication> StartAsync(
        IDictionary<string, string?> settings,
        RecordingLoggerProvider logs,
        Action<WebApplicationBuilder>? configureServices = null,
        Action<WebApplication>? configurePipeline = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        // Keep every provider the defaults add (OpenTelemetry's included) except the console one.
        var console = builder.Services.Where(d => d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        console.ForEach(d => builder.Services.Remove(d));
        builder.Logging.AddProvider(logs);
        configureServices?.Invoke(builder);

        var app = builder.Build();
        configurePipeline?.Invoke(app);
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }
}
