using System.Collections.Concurrent;
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
    private readonly PipelineNames _names = new("secrets-");
    private readonly CapturedLogs _logs = new();
    private ComposedIngestHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync()
    {
        // The real server with a password it will refuse: every database call fails, and logs why.
        var postgres = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Password = _password }.ConnectionString;
        _host = await ComposedIngestHost.StartAsync(postgres, _names, _apiKey, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(_logs);
        });
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Neither_the_api_key_nor_a_refused_database_password_is_logged()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(_wrongKey)).StatusCode);
        var submit = await SubmitAsync(_apiKey); // reaches the database, which refuses the password
        Assert.True((int)submit.StatusCode >= 500, $"submit answered {submit.StatusCode}");
        var ready = await Client.GetAsync("/readyz");
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
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/datasets/{_names.Container}/some-folder/submit");
        request.Headers.Add("X-Api-Key", key);
        return await Client.SendAsync(request);
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
