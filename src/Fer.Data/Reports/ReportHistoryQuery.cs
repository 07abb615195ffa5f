using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Fer.Data.Reports;

/// <summary>Earlier stored reports of a dataset, newest first, for the change and trend sections.</summary>
public sealed class ReportHistoryQuery(FerDbContext db)
{
    /// <summary>A stored report's headline figures; <see cref="ClassRecalls"/> is read for the newest one only.</summary>
    public sealed record Entry(long ReportId, DateTimeOffset CreatedAt, string ModelName, string ModelSha256,
        long ScoredCount, double Accuracy, double MacroF1)
    {
        /// <summary>Recall by label of the classes that had images; empty for all but the newest entry.</summary>
        public IReadOnlyDictionary<string, double> ClassRecalls { get; init; } = new Dictionary<string, double>();
    }

    /// <summary>
    /// The <paramref name="limit"/> most recent reports, by id: ids grow in the order reports are stored,
    /// which is the order the change and trend sections mean, whatever clock the reports carried.
    /// </summary>
    public async Task<IReadOnlyList<Entry>> RecentAsync(long datasetId, int limit, CancellationToken cancellationToken = default)
    {
        var entries = await db.Reports.AsNoTracking()
            .Where(r => r.DatasetId == datasetId)
            .OrderByDescending(r => r.Id)
            .Take(limit)
            .Select(r => new Entry(r.Id, r.CreatedAt, r.ModelName, r.ModelSha256, r.ScoredCount, r.Accuracy, r.MacroF1))
            .ToListAsync(cancellationToken);
        if (entries.Count == 0)
            return entries;
        // Only the newest report's JSON is needed (per-class recalls); skip the others' large text columns.
        var newestJson = await db.Reports.AsNoTracking().Where(r => r.Id == entries[0].ReportId).Select(r => r.Json).SingleAsync(cancellationToken);
        entries[0] = entries[0] with { ClassRecalls = ReadClassRecalls(newestJson) };
        return entries;
    }

    /// <summary>
    /// Recall by label of the classes that had images, read from a stored report's JSON (the <c>classes</c> array the
    /// report renderer writes). Older or damaged reports give an empty answer instead of failing the new report.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ReadClassRecalls(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return new Dictionary<string, double>();
        try
        {
            var stored = JsonSerializer.Deserialize<StoredReport>(json, StoredJson);
            return (stored?.Classes ?? [])
                .Where(c => c is { Label: not null, Support: > 0 })
                .GroupBy(c => c!.Label!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last()!.Recall, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new Dictionary<string, double>(); // a stored report we cannot read only costs the recall deltas
        }
    }

    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web);

    /// <summary>The part of a stored report's JSON the next report compares with.</summary>
    private sealed record StoredReport(IReadOnlyList<StoredClass?>? Classes);

    private sealed record StoredClass(string? Label, double Recall, long Support);
}
