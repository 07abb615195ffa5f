using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Fer.Tests.ServiceDefaults;

[Collection(OpenTelemetrySdkCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Setting_the_OTLP_endpoint_pushes_traces_metrics_and_logs_to_it()
    {
        // A real loopback HTTP server stands in for the collector and records what it is sent.
        var received = new ConcurrentBag<string>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        collectorBuilder.Logging.ClearProviders();
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/{signal}", (string signal) =>
        {
            received.Add(signal);
            return Results.Ok();
        });
        await collector.StartAsync();
        var collectorUrl = collector.Urls.Single(); // the port the OS picked

        var settings = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collectorUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Short export intervals so batches go out while the app runs, not only at shutdown.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        var app = await ServiceDefaultsTestApp.StartAsync(settings, new RecordingLoggerProvider(),
            configurePipeline: app => app.MapGet("/api/ping", (ILogger<OtlpExportTests> logger) =>
            {
                logger.LogInformation("ping handled");
                return "pong";
            }));
        var response = await app.GetTestClient().GetStringAsync("/api/ping");
        Assert.Equal("pong", response);

        // The request's span ends just after the in-memory response completes, so wait for the
        // periodic exports rather than racing the shutdown flush against the span's end.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !new[] { "traces", "metrics", "logs" }.All(received.Contains))
        {
            await Task.Delay(100);
        }

        // Stopping the host flushes whatever is still pending.
        await app.StopAsync();
        await app.DisposeAsync();

        Assert.Contains("traces", received);
        Assert.Contains("metrics", received);
        Assert.Contains("logs", received);
    }
}
