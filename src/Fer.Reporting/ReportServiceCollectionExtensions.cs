using Azure.Storage.Blobs;
using Fer.Data;
using Fer.ImageSources;
using Fer.Reporting.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fer.Reporting;

public static class ReportServiceCollectionExtensions
{
    /// <summary>
    /// Report generation and publishing (needs a registered FerDbContext): <see cref="ReportSettings"/> from
    /// <c>Fer:Reports</c>, checked at start-up. Files go to <see cref="ReportSettings.Folder"/> when set, else to the blob
    /// container through a registered <see cref="BlobServiceClient"/>; thumbnails come from a registered
    /// <see cref="IImageSource"/>. With <paramref name="nightly"/> the cron-driven <see cref="NightlyReportService"/> runs too.
    /// </summary>
    public static IServiceCollection AddFerReporting(this IServiceCollection services, IConfiguration configuration, bool nightly = true)
    {
        services.AddCheckedOptions<ReportSettings>(configuration, ReportSettings.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReportStore>(sp =>
            sp.GetRequiredService<IOptions<ReportSettings>>().Value.Store(sp.GetRequiredService<BlobServiceClient>));
        services.TryAddScoped(sp => new ReportService(
            sp.GetRequiredService<FerDbContext>(),
            sp.GetRequiredService<IOptions<ReportSettings>>().Value,
            sp.GetRequiredService<IReportStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IImageSource>()));
        if (nightly)
        {
            services.TryAddSingleton<NightlyReportService>();
            services.AddHostedService(sp => sp.GetRequiredService<NightlyReportService>());
        }
        return services;
    }
}
