extern alias IngestHost;

using IngestHost::Fer.Ingest;

namespace Fer.IntegrationTests.Infrastructure;

/// <summary>
/// The ingest host composed exactly as src/Fer.Ingest/Program.cs does (service defaults, API key, endpoints), in the
/// Production environment on a real loopback socket, in the test's own <see cref="PipelineNames"/>; disposing it stops the host and
/// removes the container and the broker entities under its prefix.
/// </summary>
public sealed class ComposedIngestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PipelineNames _names;

    private ComposedIngestHost(WebApplication app, PipelineNames names)
    {
        _app = app;
        _names = names;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Client { get; }

    /// <param name="logging">the test's logging (level, captured providers), applied after the host's own</param>
    public static async Task<ComposedIngestHost> StartAsync(string postgres, PipelineNames names, string apiKey, Action<ILoggingBuilder> logging)
    {
        await names.Blobs.CreateIfNotExistsAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(PipelineHosts.BaseSettings(postgres, names.EntityPrefix));
        builder.Configuration.AddInMemoryCollection(PipelineHosts.SubmitOnlyIngestSettings(names.Container));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Fer:ApiKey"] = apiKey });
        // The same calls as src/Fer.Ingest/Program.cs.
        builder.AddServiceDefaults();
        builder.Services.AddFerIngest(builder.Configuration);
        logging(builder.Logging);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.RequireApiKey();
        app.MapFerIngest();
        await app.StartAsync();
        return new ComposedIngestHost(app, names);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _names.DisposeAsync();
    }
}
