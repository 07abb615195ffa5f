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

        // One snapshot for all queries, so counts agree while workers keep writing.
        await using var transaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken)
            : null;
        if (transaction is not null && db.Database.IsNpgsql())
        {
            // The default 4 MB spills the million-row hash joins to disk and rules out a parallel top-N sort;
            // set_config(..., true) is SET LOCAL (it ends with this read-only transaction) but takes the value as a
            // bind parameter: no SQL in src/ is built by string interpolation.
            await db.Database.ExecuteSqlAsync($"SELECT set_config('work_mem', {PostgresWorkMem}, true)", cancellationToken);
        }

        var states = await db.Images.AsNoTracking()
            .Where(i => i.DatasetId == datasetId)
            .GroupBy(i => i.State)
            .Select(g => new { State = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        long CountOf(ImageState state) => states.Where(s => s.State == state).Sum(s => s.Count);

        var scored =
            from i in db.Images.AsNoTracking()
            join p in db.Predictions.AsNoTracking() on i.Id equals p.ImageId
            // A photo with several faces counts once in a report: by its largest face (face 0).
            where i.DatasetId == datasetId && i.State == ImageState.Scored && p.FaceIndex == 0
            select new { i.Id, i.Path, i.TrueLabel, p.PredictedLabel, p.Confidence, p.ModelName, p.ModelSha256 };

        // One pass gives the confusion counts (sum over bins) and the score distribution (sum over labels):
        // GROUP BY true_label, predicted_label, floor(confidence * 10).
        var cellRows = await scored
            .GroupBy(x => new { x.TrueLabel, x.PredictedLabel, Bin = Math.Floor(x.Confidence * 10.0) })
            .Select(g => new { g.Key.TrueLabel, g.Key.PredictedLabel, g.Key.Bin, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        var cells = cellRows
            .Select(r => new ReportAggregates.Cell(r.TrueLabel, r.PredictedLabel, Math.Clamp((int)r.Bin, 0, ReportAggregates.ScoreBinCount - 1), r.Count))
            // a confidence of exactly 1.0 lands in bin 10 in SQL; merge it into bin 9 here
            .GroupBy(c => (c.TrueLabel, c.PredictedLabel, c.ScoreBin))
            .Select(g => new ReportAggregates.Cell(g.Key.TrueLabel, g.Key.PredictedLabel, g.Key.ScoreBin, g.Sum(c => c.Count)))
            .OrderBy(c => c.TrueLabel ?? -1).ThenBy(c => c.PredictedLabel).ThenBy(c => c.ScoreBin)
            .ToList();

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
        var reliability = reliabilityRows
            .Select(r => new ReportAggregates.ReliabilityCell((int)r.Bin, r.Count, r.Correct, r.ConfidenceSum))
            .OrderBy(r => r.Bin)
            .ToList();

        var models = await scored
            .GroupBy(x => new { x.ModelName, x.ModelSha256 })
            .Select(g => new ReportAggregates.ModelUsage(g.Key.ModelName, g.Key.ModelSha256, g.LongCount()))
            .ToListAsync(cancellationToken);

        var mistakes = mistakeLimit == 0
            ? []
            : await scored
                .Where(x => x.TrueLabel != null && x.TrueLabel != x.PredictedLabel)
                .OrderByDescending(x => x.Confidence).ThenBy(x => x.Id)
                .Take(mistakeLimit)
                .Select(x => new ReportAggregates.Mistake(x.Id, x.Path, x.TrueLabel!.Value, x.PredictedLabel, x.Confidence))
                .ToListAsync(cancellationToken);

        var failureReasons = await db.Images.AsNoTracking()
            .Where(i => i.DatasetId == datasetId && i.State == ImageState.Failed)
            .GroupBy(i => i.FailureReason ?? "")
            .Select(g => new { Reason = g.Key, Count = g.LongCount() })
            .OrderByDescending(f => f.Count).ThenBy(f => f.Reason)
            .Take(10)
            .ToListAsync(cancellationToken);

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
            failureReasons.Select(f => new ReportAggregates.FailureReason(f.Reason, f.Count)).ToList())
        {
            Reliability = reliability,
        };
    }
}
