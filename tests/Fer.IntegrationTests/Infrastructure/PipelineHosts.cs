extern alias IngestHost;
extern alias WorkerHost;

using IngestHost::Fer.Ingest;
using WorkerHost::Fer.Worker;

namespace Fer.IntegrationTests.Infrastructure;

/// <summary>Starts the real worker and ingest compositions (the same extension methods the hosts' Program.cs call) in-process.</summary>
public static class PipelineHosts
{
    public static Dictionary<string, string?> BaseSettings(string postgres, string entityPrefix) => new()
    {
        ["ConnectionStrings:Postgres"] = postgres,
        ["ConnectionStrings:RabbitMq"] = TestServices.RabbitMq,
        ["ConnectionStrings:Blob"] = TestServices.Blob,
        ["Fer:Bus:EntityPrefix"] = entityPrefix,
        ["Fer:Database:MigrateOnStartup"] = "false",
        ["Fer:Model:PreferCuda"] = "false",
    };

    /// <summary>An ingest host for <paramref name="container"/> that ingests only what a test submits: no blob watcher,
    /// no sweeper re-publishing behind the test's back.</summary>
    public static Dictionary<string, string?> SubmitOnlyIngestSettings(string container) => new()
    {
        ["Fer:Ingest:Container"] = container,
        ["Fer:Ingest:WatchEnabled"] = "false",
        ["Fer:Sweeper:Enabled"] = "false",
    };

    public static async Task<IHost> StartWorkerAsync(Dictionary<string, string?> settings, string workerId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fer:Worker:WorkerId"] = workerId,
            // Small batches and prefetch so both workers get a share of 200 messages.
            ["Fer:Worker:MessageLimit"] = "16",
            ["Fer:Worker:PrefetchCount"] = "16",
            ["Fer:Worker:ConcurrencyLimit"] = "1",
            ["Fer:Worker:TimeLimit"] = "00:00:00.050",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddFerWorker(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The ingest web host on a free loopback port; returns it with its base address.</summary>
    /// <param name="logs">also receives the host's log entries (warnings and above), when given</param>
    public static async Task<(WebApplication App, Uri Address)> StartIngestAsync(Dictionary<string, string?> settings, string container,
        ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(SubmitOnlyIngestSettings(container));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fer:Ingest:WriteChunkSize"] = "50",
            ["Fer:Ingest:ListPageSize"] = "40",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logs is not null)
            builder.Logging.AddProvider(logs);
        builder.Services.AddFerIngest(builder.Configuration);
        var app = builder.Build();
        app.MapFerIngest();
        await app.StartAsync();
        return (app, new Uri(app.Urls.First()));
    }
}
