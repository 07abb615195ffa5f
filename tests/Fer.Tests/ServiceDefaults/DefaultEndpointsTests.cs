using System.Diagnostics.Metrics;
using System.Net;
using Fer.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fer.Tests.ServiceDefaults;

public sealed class DefaultEndpointsTests
{
    private static readonly Dictionary<string, string?> NoSettings = new();

    [Fact]
    public async Task Failing_dependency_makes_readyz_503_while_healthz_stays_200()
    {
        await using var app = await ServiceDefaultsTestApp.StartAsync(NoSettings, new RecordingLoggerProvider(),
            configureServices: builder => builder.Services.AddHealthChecks()
                .AddCheck("broker", () => HealthCheckResult.Unhealthy("broker down"), [HealthTags.Ready]));
        var client = app.GetTestClient();

        using var live = await client.GetAsync(HealthEndpointPaths.Liveness);
        using var ready = await client.GetAsync(HealthEndpointPaths.Readiness);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        using var liveJson = JsonDocument.Parse(await live.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", liveJson.RootElement.GetProperty("status").GetString());
        Assert.Equal(["self"], liveJson.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        using var readyJson = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", readyJson.RootElement.GetProperty("status").GetString());
        var broker = readyJson.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "broker");
        Assert.Equal("Unhealthy", broker.GetProperty("status").GetString());
        Assert.Equal("broker down", broker.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Readyz_is_200_when_every_check_passes()
    {
        await using var app = await ServiceDefaultsTestApp.StartAsync(NoSettings, new RecordingLoggerProvider(),
            configureServices: builder => builder.Services.AddHealthChecks()
                .AddCheck("broker", () => HealthCheckResult.Healthy(), [HealthTags.Ready]));

        using var ready = await app.GetTestClient().GetAsync(HealthEndpointPaths.Readiness);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Metrics_endpoint_exports_FerBatch_meters_and_not_unrelated_ones()
    {
        await using var app = await ServiceDefaultsTestApp.StartAsync(NoSettings, new RecordingLoggerProvider());
        using var ferMeter = new Meter("FerBatch.Tests.Scrape");
        using var otherMeter = new Meter("Unrelated.Tests.Scrape");
        ferMeter.CreateCounter<long>("fer.tests.scored_images").Add(3);
        otherMeter.CreateCounter<long>("unrelated.tests.events").Add(5);

        using var response = await app.GetTestClient().GetAsync(HealthEndpointPaths.Metrics);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(body.Split('\n'), l => l.StartsWith("fer_tests_scored_images_total{", StringComparison.Ordinal));
        Assert.EndsWith(" 3", line.Split(" #")[0].TrimEnd());
        Assert.DoesNotContain("unrelated_tests_events", body);
    }
}
