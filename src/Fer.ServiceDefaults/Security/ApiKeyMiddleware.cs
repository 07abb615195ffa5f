using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.ServiceDefaults.Security;

/// <summary>
/// Rejects requests whose <c>X-Api-Key</c> header does not match <c>Fer:ApiKey</c> with 401, except on
/// endpoints marked <see cref="ApiKeyExemptMetadata"/> (health and metrics). With no key configured it
/// lets everything through, so a local run needs no setup, and says so once.
/// </summary>
public sealed class ApiKeyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IOptionsMonitor<ApiKeyOptions> _options;
    private readonly ILogger<ApiKeyMiddleware> _logger;
    private int _warnedAboutMissingKey;

    public ApiKeyMiddleware(RequestDelegate next, IOptionsMonitor<ApiKeyOptions> options, ILogger<ApiKeyMiddleware> logger)
    {
        _next = next;
        _options = options;
        _logger = logger;
        WarnOnceIfNoKey();
    }

    public Task InvokeAsync(HttpContext context)
    {
        var expected = _options.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            WarnOnceIfNoKey();
            return _next(context);
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyExemptMetadata>() is not null)
        {
            return _next(context);
        }

        if (context.Request.Headers.TryGetValue(ApiKeyOptions.HeaderName, out var supplied)
            && supplied.Count == 1
            && KeysMatch(supplied[0], expected))
        {
            return _next(context);
        }

        _logger.LogWarning("Rejected {Method} {Path}: missing or wrong {Header} header",
            context.Request.Method, context.Request.Path.Value, ApiKeyOptions.HeaderName);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyOptions.HeaderName}\"";
        return context.Response.WriteAsJsonAsync(new
        {
            title = "Unauthorized",
            status = StatusCodes.Status401Unauthorized,
            detail = $"Send the API key in the {ApiKeyOptions.HeaderName} header.",
        }, context.RequestAborted);
    }

    // Constant-time comparison so response timing does not reveal how much of a guess was right.
    private static bool KeysMatch(string? supplied, string expected) =>
        supplied is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(supplied), Encoding.UTF8.GetBytes(expected));

    private void WarnOnceIfNoKey()
    {
        if (string.IsNullOrEmpty(_options.CurrentValue.ApiKey) && Interlocked.Exchange(ref _warnedAboutMissingKey, 1) == 0)
        {
            _logger.LogWarning("No API key configured ({Section}:ApiKey is empty): every request is accepted without {Header}",
                ApiKeyOptions.SectionName, ApiKeyOptions.HeaderName);
        }
    }
}
