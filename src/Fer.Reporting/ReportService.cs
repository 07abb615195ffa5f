using Fer.Data;
using Fer.Data.Reports;
using Fer.ImageSources;
using Fer.Reporting.Model;
using Fer.Reporting.Publishing;
using Fer.Reporting.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Fer.Reporting;

/// <summary>
/// The one way a report is made, by the nightly service, <c>POST /reports/{dataset}</c>, <c>fer report</c> and embedded
/// <c>fer run</c> alike: load the dataset, its aggregates and the previous reports, read the thumbnails, build the
/// report (<see cref="ReportBuilder"/>), then render, write and store it (<see cref="ReportPublisher"/>).
/// </summary>
/// <param name="store">Where the files go; null: where <paramref name="settings"/> says (<see cref="ReportSettings.Store"/>).</param>
/// <param name="images">
/// Where the datasets' images are read for thumbnails, at their own container and folder: the Reports host's blob
/// storage, or a local folder source for a SQLite database of embedded runs (their datasets are local folders); null for none.
/// </param>
public sealed class ReportService(FerDbContext db, ReportSettings settings, IReportStore? store = null, TimeProvider? clock = null,
    IImageSource? images = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Builds, publishes and stores the report of <paramref name="datasetId"/>.</summary>
    public async Task<PublishedReport> CreateAsync(long datasetId, string trigger, CancellationToken cancellationToken = default)
    {
        var report = await BuildAsync(datasetId, cancellationToken);
        return await PublishAsync(report, trigger, cancellationToken);
    }

    /// <summary>Renders, writes and stores a report from <see cref="BuildAsync"/>.</summary>
    public Task<PublishedReport> PublishAsync(DatasetReport report, string trigger, CancellationToken cancellationToken = default) =>
        new ReportPublisher(store ?? settings.Store()).PublishAsync(db, report, trigger, cancellationToken);

    /// <summary>The report of <paramref name="datasetId"/> as it stands now, not stored anywhere.</summary>
    public Task<DatasetReport> BuildAsync(long datasetId, CancellationToken cancellationToken = default) =>
        BuildAsync(datasetId, aggregates: null, cancellationToken);

    /// <summary>
    /// The same, from aggregates the caller already queried for something else (with at least
    /// <see cref="ReportSettings.MistakeCount"/> mistakes); null: queried here.
    /// </summary>
    public async Task<DatasetReport> BuildAsync(long datasetId, ReportAggregates? aggregates, CancellationToken cancellationToken = default)
    {
        var dataset = await db.Datasets.AsNoTracking()
                          .Where(d => d.Id == datasetId)
                          .Select(d => new { d.Name, d.Container, d.Path })
                          .SingleOrDefaultAsync(cancellationToken)
                      ?? throw new DatasetNotFoundException($"dataset {datasetId} does not exist");
        aggregates ??= await new DatasetReportQuery(db).RunAsync(datasetId, settings.MistakeCount, cancellationToken);
        // The previous report (change section) is read even when the trend shows this report alone.
        var history = await new ReportHistoryQuery(db).RecentAsync(datasetId, Math.Max(1, settings.TrendLength - 1), cancellationToken);
        var thumbnails = ThumbnailImages(dataset.Container, dataset.Path) is { } from
            ? await ThumbnailsAsync(aggregates.ConfidentMistakes, from, cancellationToken)
            : null;
        return ReportBuilder.Build(new ReportBuilder.DatasetIdentity(datasetId, dataset.Name, dataset.Container),
            aggregates, history, _clock.GetUtcNow(), thumbnails);
    }

    private DatasetImages? ThumbnailImages(string container, string datasetFolder)
    {
        if (!settings.Thumbnails)
            return null;
        if (!string.IsNullOrWhiteSpace(settings.ImagesFolder))
            return DatasetImages.InFolder(settings.ImagesFolder);
        return images is null ? null : new DatasetImages(images, container, datasetFolder);
    }

    private static async Task<Dictionary<long, string>> ThumbnailsAsync(IReadOnlyList<ReportAggregates.Mistake> mistakes,
        DatasetImages images, CancellationToken cancellationToken)
    {
        var thumbnails = new Dictionary<long, string>();
        foreach (var mistake in mistakes)
        {
            if (await images.TryReadAsync(mistake.Path, cancellationToken) is { } bytes && ThumbnailEncoder.ToDataUri(bytes) is { } uri)
                thumbnails[mistake.ImageId] = uri;
        }
        return thumbnails;
    }
}
