using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fer.ImageSources;

public static class ImageSourceServiceExtensions
{
    /// <summary>Blob storage from <c>ConnectionStrings:Blob</c> as the image source (hosts get its readiness check from ServiceDefaults).</summary>
    public static IServiceCollection AddFerBlobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connection = configuration.GetConnectionString("Blob")
            ?? throw new InvalidOperationException("ConnectionStrings:Blob is required (UseDevelopmentStorage=true for Azurite)");
        services.TryAddSingleton(_ => new BlobServiceClient(connection));
        services.TryAddSingleton<BlobImageSource>();
        services.TryAddSingleton<IImageSource>(sp => sp.GetRequiredService<BlobImageSource>());
        return services;
    }
}
