using Fer.Data;
using Fer.Reporting.Publishing;
using Fer.Reporting.Rendering;
using Microsoft.Extensions.Options;

namespace Fer.Reporting;

/// <summary>Generates and publishes one dataset's report with the host's settings: the unit of work of the endpoint and the nightly run.</summary>
public sealed class DatasetReporter(FerDbContext db, ReportPublisher publisher, IOptions<ReportSettings> settings,
    TimeProvider clock, ReportImageSourceFactory? imageSources = null)
{
    public async Task<PublishedReport> ReportAsync(long datasetId, string trigger, CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.FindAsync([datasetId], cancellationToken)
                      ?? throw new DatasetNotFoundException($"dataset {datasetId} does not exist");
        var options = new ReportOptions
        {
            MistakeCount = settings.Value.MistakeCount,
            TrendLength = settings.Value.TrendLength,
            Clock = clock,
            ImageSource = settings.Value.Thumbnails ? imageSources?.Invoke(dataset.Container, dataset.Path) : null,
        };
        var report = await ReportGenerator.GenerateAsync(db, datasetId, options, cancellationToken);
        return await publisher.PublishAsync(db, report, trigger, cancellationToken);
    }
}

/// <summary>Where a dataset's images can be read for thumbnails; null when they cannot.</summary>
public delegate ReportImageSource? ReportImageSourceFactory(string container, string datasetPath);
