using Microsoft.EntityFrameworkCore;

namespace Fer.Data.Reports;

/// <summary>Earlier stored reports of a dataset, newest first, for the change and trend sections.</summary>
public sealed class ReportHistoryQuery(FerDbContext db)
{
    public sealed record Entry(long ReportId, DateTimeOffset CreatedAt, string ModelName, string ModelSha256,
        long ScoredCount, double Accuracy, double MacroF1, string Json);

    /// <summary>
    /// The <paramref name="limit"/> most recent reports, by id: ids grow in the order reports are stored,
    /// which is the order the change and trend sections mean, whatever clock the reports carried.
    /// </summary>
    public async Task<IReadOnlyList<Entry>> RecentAsync(long datasetId, int limit, CancellationToken cancellationToken = default)
    {
        var rows = await db.Reports.AsNoTracking()
            .Where(r => r.DatasetId == datasetId)
            .OrderByDescending(r => r.Id)
            .Take(limit)
            .Select(r => new { r.Id, r.CreatedAt, r.ModelName, r.ModelSha256, r.ScoredCount, r.Accuracy, r.MacroF1 })
            .ToListAsync(cancellationToken);
        // Only the newest report's JSON is needed (per-class recalls); skip the others' large text columns.
        var newestJson = rows.Count == 0
            ? ""
            : await db.Reports.AsNoTracking().Where(r => r.Id == rows[0].Id).Select(r => r.Json).SingleAsync(cancellationToken);
        return rows.Select((r, i) => new Entry(r.Id, r.CreatedAt, r.ModelName, r.ModelSha256, r.ScoredCount, r.Accuracy, r.MacroF1,
            i == 0 ? newestJson : "")).ToList();
    }
}
