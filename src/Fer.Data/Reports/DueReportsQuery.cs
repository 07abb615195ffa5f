using Microsoft.EntityFrameworkCore;

namespace Fer.Data.Reports;

/// <summary>Labelled datasets whose results changed after their last stored report (or that have none yet).</summary>
public sealed class DueReportsQuery(FerDbContext db)
{
    public sealed record DueDataset(long DatasetId, string Name, string Container, DateTimeOffset ResultsChangedAt, DateTimeOffset? LastReportAt);

    public async Task<IReadOnlyList<DueDataset>> RunAsync(CancellationToken cancellationToken = default)
    {
        var candidates = await db.Datasets.AsNoTracking()
            .Where(d => d.ResultsChangedAt != null && d.Images.Any(i => i.TrueLabel != null))
            .Select(d => new
            {
                d.Id, d.Name, d.Container, d.ResultsChangedAt,
                LastReportId = db.Reports.Where(r => r.DatasetId == d.Id).Max(r => (long?)r.Id),
            })
            .ToListAsync(cancellationToken);
        var lastReportIds = candidates.Where(c => c.LastReportId is not null).Select(c => c.LastReportId!.Value).ToList();
        var lastReportTimes = await db.Reports.AsNoTracking()
            .Where(r => lastReportIds.Contains(r.Id))
            .Select(r => new { r.DatasetId, r.CreatedAt })
            .ToDictionaryAsync(r => r.DatasetId, r => r.CreatedAt, cancellationToken);

        // Compared here rather than in SQL: DateTimeOffset is stored differently by the two providers, and there are few datasets.
        return candidates
            .Select(c => new DueDataset(c.Id, c.Name, c.Container, c.ResultsChangedAt!.Value,
                lastReportTimes.TryGetValue(c.Id, out var at) ? at : null))
            .Where(d => d.LastReportAt is null || d.ResultsChangedAt > d.LastReportAt)
            .OrderBy(d => d.DatasetId)
            .ToList();
    }
}
