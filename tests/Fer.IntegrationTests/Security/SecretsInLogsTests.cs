extern alias IngestHost;

using System.Collections.Concurrent;
using System.Net;
using Azure.Storage.Blobs;
using Fer.IntegrationTests.Infrastructure;
using IngestHost::Fer.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fer.IntegrationTests.Security;

/// <summary>
/// The ingest host's composition with every log category at Trace: neither the API key (right or wrong guesses) nor a
/// database password ever reaches a log line, including the lines written when the database refuses that password.
/// </summary>
public sealed class SecretsInLogsTests : IAsyncLifetime
{
    private readonly string _apiKey = "api-key-" + Guid.NewGuid().ToString("N");
    private readonly string _wrongKey = "wrong-key-" + Guid.NewGuid().ToString("N");
    private readonly string _password = "pg-password-" + Guid.NewGuid().ToString("N");
    private readonly string _prefix = TestServices.UniqueName("secrets-");
    private readonly string _container = TestServices.UniqueName("secrets-");
    private readonly CapturedLogs _logs = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container).CreateIfNotExistsAsync();
        // The real server with a password it will refuse: every database call fails, and logs why.
        var postgres = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Password = _password }.ConnectionString;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(PipelineHosts.BaseSettings(postgres, _prefix));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fer:ApiKey"] = _apiKey,
            ["Fer:Ingest:Container"] = _container,
            ["Fer:Ingest:WatchEnabled"] = "false",
            ["Fer:Sweeper:Enabled"] = "false",
        });
        builder.AddServiceDefaults();
        builder.AddFerIngest();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(_logs);
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.RequireApiKey();
        _app.MapFerIngest();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(_container).DeleteIfExistsAsync();
        await BrokerCleanup.DeleteAsync(_prefix);
    }

    [Fact]
    public async Task Neither_the_api_key_nor_a_refused_database_password_is_logged()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(_wrongKey)).StatusCode);
        var submit = await SubmitAsync(_apiKey); // reaches the database, which refuses the password
        Assert.True((int)submit.StatusCode >= 500, $"submit answered {submit.StatusCode}");
        var ready = await _client.GetAsync("/readyz");
        Assert.NotEqual(HttpStatusCode.OK, ready.StatusCode);

        var lines = _logs.Lines.ToList();
        // The failures were logged (so there was something to leak) ...
        Assert.Contains(lines, l => l.Contains("password authentication failed", StringComparison.OrdinalIgnoreCase)
                                    || l.Contains("28P01", StringComparison.Ordinal));
        // ... and no line holds a secret.
        foreach (var secret in new[] { _apiKey, _wrongKey, _password })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> SubmitAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/datasets/{_container}/some-folder/submit");
        request.Headers.Add("X-Api-Key", key);
        return await _client.SendAsync(request);
    }

    /// <summary>Every log line of every category, with its exception, as text.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
