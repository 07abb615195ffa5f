using Fer.Data;
using Fer.Data.Reports;
using Fer.Reporting.Model;
using Fer.Reporting.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Fer.Reporting;

/// <summary>
/// Builds a dataset's report from the database: aggregates, history, thumbnails. Used by the nightly
/// service, the HTTP endpoint, <c>fer report</c> and embedded <c>fer run</c> alike.
/// </summary>
public static class ReportGenerator
{
    public static async Task<DatasetReport> GenerateAsync(FerDbContext db, long datasetId, ReportOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ReportOptions();
        var dataset = await db.Datasets.AsNoTracking()
            .Where(d => d.Id == datasetId)
            .Select(d => new ReportBuilder.DatasetIdentity(d.Id, d.Name, d.Container))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new DatasetNotFoundException($"dataset {datasetId} does not exist");

        var aggregates = await new DatasetReportQuery(db).RunAsync(datasetId, options.MistakeCount, cancellationToken);
        var history = await new ReportHistoryQuery(db).RecentAsync(datasetId, Math.Max(1, options.TrendLength - 1), cancellationToken);
        var thumbnails = options.ImageSource is null
            ? null
            : await ThumbnailsAsync(aggregates.ConfidentMistakes, options.ImageSource, cancellationToken);
        return ReportBuilder.Build(dataset, aggregates, history, options.Clock.GetUtcNow(), thumbnails);
    }

    private static async Task<Dictionary<long, string>> ThumbnailsAsync(IReadOnlyList<ReportAggregates.Mistake> mistakes,
        ReportImageSource source, CancellationToken cancellationToken)
    {
        var thumbnails = new Dictionary<long, string>();
        foreach (var mistake in mistakes)
        {
            byte[]? bytes;
            try
            {
                bytes = await source(mistake.Path, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Azure.RequestFailedException or Fer.Core.Imaging.InvalidImageException)
            {
                continue; // a missing picture must not cost the whole report
            }
            if (bytes is not null && ThumbnailEncoder.ToDataUri(bytes) is { } uri)
                thumbnails[mistake.ImageId] = uri;
        }
        return thumbnails;
    }
}
