using Azure.Storage.Blobs;
using Fer.ImageSources;
using Fer.Reporting.Publishing;
using Fer.Reporting.Rendering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Reporting;

public static class ReportServiceCollectionExtensions
{
    /// <summary>
    /// Report generation and publishing (needs a registered FerDbContext). Files go to <see cref="ReportSettings.Folder"/>
    /// when set, else to the blob container through a registered <see cref="BlobServiceClient"/>; with
    /// <paramref name="nightly"/> the cron-driven <see cref="NightlyReportService"/> runs too.
    /// </summary>
    public static IServiceCollection AddFerReporting(this IServiceCollection services, IConfiguration configuration, bool nightly = true)
    {
        services.Configure<ReportSettings>(configuration.GetSection(ReportSettings.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReportStore>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ReportSettings>>().Value;
            return string.IsNullOrWhiteSpace(settings.Folder)
                ? new BlobReportStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings.Container))
                : new FolderReportStore(settings.Folder);
        });
        services.TryAddSingleton<ReportImageSourceFactory>(sp =>
        {
            var images = sp.GetService<IImageSource>();
            // Embedded datasets live in a folder on the machine that ran them, not one this host can see.
            return (container, name) => images is null || container == LocalFolderImageSource.Container
                ? null
                : ReportImageSources.FromImageSource(images, container, name);
        });
        services.TryAddSingleton<ReportPublisher>();
        services.TryAddScoped<DatasetReporter>();
        if (nightly)
        {
            services.TryAddSingleton<NightlyReportService>();
            services.AddHostedService(sp => sp.GetRequiredService<NightlyReportService>());
        }
        return services;
    }
}
