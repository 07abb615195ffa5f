using System.Data;
using Fer.Core.Metrics;
using Fer.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fer.Data.Reports;

/// <summary>
/// Aggregates one dataset's results inside the database (PostgreSQL or SQLite): a handful of GROUP BY
/// queries return at most a few hundred rows, so a million-image dataset costs one scan per query, not a
/// million objects in memory.
/// </summary>
public sealed class DatasetReportQuery(FerDbContext db)
{
    /// <summary>Working memory per sort or hash of the report queries on PostgreSQL.</summary>
    public const string PostgresWorkMem = "64MB";

    public async Task<ReportAggregates> RunAsync(long datasetId, int mistakeLimit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mistakeLimit);

        await using var transaction = await BeginSnapshotAsync(cancellationToken);
        var states = await db.Images.AsNoTracking()
            .Where(i => i.DatasetId == datasetId)
            .GroupBy(i => i.State)
            .Select(g => new { State = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        long CountOf(ImageState state) => states.Where(s => s.State == state).Sum(s => s.Count);

        var scored = ScoredFaces(datasetId);
        var cells = await CellsAsync(scored, cancellationToken);
        var reliability = await ReliabilityAsync(scored, cancellationToken);
        var models = await scored
            .GroupBy(x => new { x.ModelName, x.ModelSha256 })
            .Select(g => new ReportAggregates.ModelUsage(g.Key.ModelName, g.Key.ModelSha256, g.LongCount()))
            .ToListAsync(cancellationToken);
        var mistakes = mistakeLimit == 0 ? [] : await ConfidentMistakesAsync(scored, mistakeLimit, cancellationToken);
        var failureReasons = await TopFailureReasonsAsync(datasetId, cancellationToken);

        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);

        return new ReportAggregates(
            datasetId,
            CountOf(ImageState.Scored),
            CountOf(ImageState.Failed),
            CountOf(ImageState.Pending),
            cells,
            models.OrderByDescending(m => m.Count).ThenBy(m => m.ModelName, StringComparer.Ordinal).ToList(),
            mistakes,
            failureReasons)
        {
            Reliability = reliability,
            NoFaceCount = CountOf(ImageState.NoFace),
            GoneCount = CountOf(ImageState.Gone),
        };
    }

    /// <summary>
    /// One snapshot for all queries, so counts agree while workers keep writing; null when the caller already holds a
    /// transaction (its isolation is the caller's to choose).
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
            return null;
        var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        try
        {
            if (db.Database.IsNpgsql())
            {
                // The default 4 MB spills the million-row hash joins to disk and rules out a parallel top-N sort;
                // set_config(..., true) is SET LOCAL (it ends with this read-only transaction) but takes the value as a
                // bind parameter: no SQL in src/ is built by string interpolation.
                await db.Database.ExecuteSqlAsync($"SELECT set_config('work_mem', {PostgresWorkMem}, true)", cancellationToken);
            }
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>One scored face as the report queries see it (a member-init type, so EF Core can compose on it).</summary>
    private sealed class ScoredFace
    {
        public long Id { get; init; }
        public string Path { get; init; } = "";
        public short? TrueLabel { get; init; }
        public short PredictedLabel { get; init; }
        public float Confidence { get; init; }
        public string ModelName { get; init; } = "";
        public string ModelSha256 { get; init; } = "";
    }

    private IQueryable<ScoredFace> ScoredFaces(long datasetId) =>
        from i in db.Images.AsNoTracking()
        join p in db.Predictions.AsNoTracking() on i.Id equals p.ImageId
        // A photo with several faces counts once in a report: by its largest face (face 0).
        where i.DatasetId == datasetId && i.State == ImageState.Scored && p.FaceIndex == 0
        select new ScoredFace
        {
            Id = i.Id, Path = i.Path, TrueLabel = i.TrueLabel, PredictedLabel = p.PredictedLabel, Confidence = p.Confidence,
            ModelName = p.ModelName, ModelSha256 = p.ModelSha256,
        };

    private static async Task<List<ReportAggregates.Cell>> CellsAsync(IQueryable<ScoredFace> scored, CancellationToken cancellationToken)
    {
        // One pass gives the confusion counts (sum over bins) and the score distribution (sum over labels):
        // GROUP BY true_label, predicted_label, floor(confidence * 10).
        var cellRows = await scored
            .GroupBy(x => new { x.TrueLabel, x.PredictedLabel, Bin = Math.Floor(x.Confidence * 10.0) })
            .Select(g => new { g.Key.TrueLabel, g.Key.PredictedLabel, g.Key.Bin, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return cellRows
            .Select(r => new ReportAggregates.Cell(r.TrueLabel, r.PredictedLabel, Math.Clamp((int)r.Bin, 0, ReportAggregates.ScoreBinCount - 1), r.Count))
            // a confidence of exactly 1.0 lands in bin 10 in SQL; merge it into bin 9 here
            .GroupBy(c => (c.TrueLabel, c.PredictedLabel, c.ScoreBin))
            .Select(g => new ReportAggregates.Cell(g.Key.TrueLabel, g.Key.PredictedLabel, g.Key.ScoreBin, g.Sum(c => c.Count)))
            .OrderBy(c => c.TrueLabel ?? -1).ThenBy(c => c.PredictedLabel).ThenBy(c => c.ScoreBin)
            .ToList();
    }

    private static async Task<List<ReportAggregates.ReliabilityCell>> ReliabilityAsync(IQueryable<ScoredFace> scored, CancellationToken cancellationToken)
    {
        var reliabilityRows = await scored
            .Where(x => x.TrueLabel != null)
            .GroupBy(x => Math.Floor(x.Confidence * (double)CalibrationCurve.DefaultBinCount))
            .Select(g => new
            {
                Bin = g.Key,
                Count = g.LongCount(),
                Correct = g.LongCount(x => x.TrueLabel == x.PredictedLabel),
                ConfidenceSum = g.Sum(x => (double)x.Confidence),
            })
            .ToListAsync(cancellationToken);
        return reliabilityRows
            .Select(r => new ReportAggregates.ReliabilityCell((int)r.Bin, r.Count, r.Correct, r.ConfidenceSum))
            .OrderBy(r => r.Bin)
            .ToList();
    }

    private static Task<List<ReportAggregates.Mistake>> ConfidentMistakesAsync(IQueryable<ScoredFace> scored, int limit, CancellationToken cancellationToken) =>
        scored
            .Where(x => x.TrueLabel != null && x.TrueLabel != x.PredictedLabel)
            .OrderByDescending(x => x.Confidence).ThenBy(x => x.Id)
            .Take(limit)
            .Select(x => new ReportAggregates.Mistake(x.Id, x.Path, x.TrueLabel!.Value, x.PredictedLabel, x.Confidence))
            .ToListAsync(cancellationToken);

    private async Task<List<ReportAggregates.FailureReason>> TopFailureReasonsAsync(long datasetId, CancellationToken cancellationToken)
    {
        var failureReasons = await db.Images.AsNoTracking()
            .Where(i => i.DatasetId == datasetId && i.State == ImageState.Failed)
            .GroupBy(i => i.FailureReason ?? "")
            .Select(g => new { Reason = g.Key, Count = g.LongCount() })
            .OrderByDescending(f => f.Count).ThenBy(f => f.Reason)
            .Take(10)
            .ToListAsync(cancellationToken);
        return failureReasons.Select(f => new ReportAggregates.FailureReason(f.Reason, f.Count)).ToList();
    }
}
