using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.ServiceDefaults.Logging;

public static class StructuredConsoleLoggingExtensions
{
    /// <summary>
    /// One JSON object per log line, with scopes, so every line carries the TraceId/SpanId of the
    /// request or message it belongs to. Setting <c>Logging:Console:FormatterName</c> (e.g. "simple")
    /// in configuration keeps the formatter chosen there instead.
    /// </summary>
    public static TBuilder AddStructuredConsoleLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId
                                              | ActivityTrackingOptions.ParentId);

        if (string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        return builder;
    }
}
