using Fer.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fer.ServiceDefaults.Telemetry;

public static class OpenTelemetryExtensions
{
    /// <summary>Configuration key that switches the OTLP exporter on (standard OpenTelemetry variable).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Configuration key that overrides the service name (standard OpenTelemetry variable).</summary>
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    /// <summary>Configuration key that chooses the trace sampler (standard OpenTelemetry variable, read by the SDK).</summary>
    public const string TracesSamplerKey = "OTEL_TRACES_SAMPLER";

    /// <summary>
    /// Logs, metrics and traces through OpenTelemetry. Metrics are always scrapeable on /metrics;
    /// everything is also pushed over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without it spans are not
    /// recorded unless <c>OTEL_TRACES_SAMPLER</c> asks for them (an exporter added in code): the trace context still
    /// flows (trace ids in logs, messages and HTTP headers), but no span is built only to be dropped.
    /// </summary>
    public static TBuilder AddFerOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var serviceName = builder.Configuration[ServiceNameKey] is { Length: > 0 } configured
            ? configured
            : builder.Environment.ApplicationName;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var exportsOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySourceNames.Meters)
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                // Probes and scrapes arrive every few seconds; tracing them would drown real requests.
                tracing.AddAspNetCoreInstrumentation(options =>
                        options.Filter = context => !HealthEndpointPaths.IsOperational(context.Request.Path.Value))
                    .AddHttpClientInstrumentation()
                    .AddSource(TelemetrySourceNames.ActivitySources)
                    .AddNpgsql();
                // Spans built in full and then dropped cost a worker 5-7 % of its CPU per image (bench/RESULTS.md).
                if (!exportsOtlp && string.IsNullOrWhiteSpace(builder.Configuration[TracesSamplerKey]))
                    tracing.SetSampler(new ParentBasedSampler(new AlwaysOffSampler()));
            });

        if (exportsOtlp)
        {
            // Reads the endpoint, protocol and headers from the standard OTEL_EXPORTER_OTLP_* variables.
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
