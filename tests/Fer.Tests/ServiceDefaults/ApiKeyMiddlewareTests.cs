using System.Net;
using Fer.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.ServiceDefaults;

public sealed class ApiKeyMiddlewareTests
{
    private const string Key = "s3cret-Key";

    private static Task<WebApplication> StartWithKeyAsync(string? apiKey, RecordingLoggerProvider logs) =>
        ServiceDefaultsTestApp.StartAsync(
            new Dictionary<string, string?> { ["Fer:ApiKey"] = apiKey },
            logs,
            configurePipeline: app =>
            {
                app.RequireApiKey();
                app.MapGet("/api/ping", () => "pong");
                app.MapGet("/public/info", () => "open").AllowWithoutApiKey();
            });

    private static async Task<HttpResponseMessage> GetAsync(WebApplication app, string path, params string[] apiKeys)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKeys.Length > 0)
        {
            request.Headers.Add(ApiKeyOptions.HeaderName, apiKeys);
        }

        return await app.GetTestClient().SendAsync(request);
    }

    [Fact]
    public async Task Request_with_the_configured_key_reaches_the_endpoint()
    {
        await using var app = await StartWithKeyAsync(Key, new RecordingLoggerProvider());

        using var response = await GetAsync(app, "/api/ping", Key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData("S3CRET-KEY")] // keys are compared exactly, not case-insensitively
    [InlineData("s3cret-Key ")]
    public async Task Request_without_the_right_key_is_rejected_with_401(string? suppliedKey)
    {
        var logs = new RecordingLoggerProvider();
        await using var app = await StartWithKeyAsync(Key, logs);

        using var response = suppliedKey is null ? await GetAsync(app, "/api/ping") : await GetAsync(app, "/api/ping", suppliedKey);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(ApiKeyOptions.HeaderName, response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("pong", await response.Content.ReadAsStringAsync());
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Rejected GET /api/ping"));
    }

    [Fact]
    public async Task Repeating_the_header_is_rejected_even_if_one_value_is_right()
    {
        await using var app = await StartWithKeyAsync(Key, new RecordingLoggerProvider());

        using var response = await GetAsync(app, "/api/ping", "wrong", Key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_need_the_key_too_so_routes_are_not_revealed()
    {
        await using var app = await StartWithKeyAsync(Key, new RecordingLoggerProvider());

        using var withoutKey = await GetAsync(app, "/api/nope");
        using var withKey = await GetAsync(app, "/api/nope", Key);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withKey.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/public/info")]
    public async Task Exempt_endpoints_answer_without_a_key(string path)
    {
        await using var app = await StartWithKeyAsync(Key, new RecordingLoggerProvider());

        using var response = await GetAsync(app, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_key_everything_is_allowed_and_a_warning_is_logged_once()
    {
        var logs = new RecordingLoggerProvider();
        await using var app = await StartWithKeyAsync(null, logs);

        using var first = await GetAsync(app, "/api/ping");
        using var second = await GetAsync(app, "/api/ping", "anything");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var warnings = logs.Entries.Where(e =>
            e.Category == typeof(ApiKeyMiddleware).FullName && e.Level == LogLevel.Warning).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("No API key configured", warning.Message);
    }
}
