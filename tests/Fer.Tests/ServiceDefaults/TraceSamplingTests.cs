using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Fer.Tests.ServiceDefaults;

/// <summary>
/// Hosts record spans when they have somewhere to send them (an OTLP endpoint) or are told to (OTEL_TRACES_SAMPLER);
/// otherwise only the trace context is kept: the activity exists with its trace id, for logs and propagation, but
/// nothing is recorded.
/// </summary>
[Collection(OpenTelemetrySdkCollection.Name)]
public sealed class TraceSamplingTests
{
    // A source of its own under the FerBatch prefix every host listens to.
    private static readonly ActivitySource Source = new($"FerBatch.SamplingTests.{Guid.NewGuid():N}");

    [Fact]
    public async Task Without_an_endpoint_or_a_sampler_spans_keep_their_context_and_are_not_recorded()
    {
        var span = await StartSpanAsync(new Dictionary<string, string?>());

        Assert.NotNull(span);
        Assert.NotEqual(default, span.TraceId);
        Assert.False(span.Recorded);
        Assert.False(span.IsAllDataRequested);
    }

    [Fact]
    public async Task An_OTLP_endpoint_records_every_span()
    {
        // Nothing listens there; the exporter's failed sends are its own business, the sampling decision is the test.
        var span = await StartSpanAsync(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });

        Assert.True(span!.Recorded);
    }

    [Fact]
    public async Task OTEL_TRACES_SAMPLER_records_spans_for_an_exporter_added_in_code()
    {
        var span = await StartSpanAsync(new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = "parentbased_always_on" });

        Assert.True(span!.Recorded);
    }

    private static async Task<Activity?> StartSpanAsync(Dictionary<string, string?> settings)
    {
        await using var app = await ServiceDefaultsTestApp.StartAsync(settings, new RecordingLoggerProvider());
        Assert.NotNull(app.Services.GetService<TracerProvider>());
        using var span = Source.StartActivity("probe");
        return span;
    }
}

/// <summary>Tests whose hosts record spans run one at a time: a host's span listener sees every test's activities.</summary>
[CollectionDefinition(Name)]
public sealed class OpenTelemetrySdkCollection
{
    public const string Name = "OpenTelemetry SDK";
}
