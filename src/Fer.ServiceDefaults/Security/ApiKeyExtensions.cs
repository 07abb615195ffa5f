using Fer.ServiceDefaults.Security;

// Beside the framework's own Use*/With* extensions, so hosts need no extra using.
namespace Microsoft.AspNetCore.Builder;

public static class ApiKeyExtensions
{
    /// <summary>
    /// Requires the <c>X-Api-Key</c> header on every endpoint not marked with
    /// <see cref="AllowWithoutApiKey{TBuilder}"/>. Call after <c>UseRouting</c> if the app calls it
    /// explicitly, so the middleware can see which endpoint was matched.
    /// </summary>
    public static IApplicationBuilder RequireApiKey(this IApplicationBuilder app) =>
        app.UseMiddleware<ApiKeyMiddleware>();

    /// <summary>Lets requests to this endpoint through without the API key.</summary>
    public static TBuilder AllowWithoutApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ApiKeyExemptMetadata.Instance);
}
