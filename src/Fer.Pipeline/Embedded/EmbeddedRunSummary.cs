using Fer.Core.Labels;
using Fer.Core.Metrics;
using Fer.Data;
using Fer.Data.Entities;
using Fer.Data.Reports;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Embedded;

/// <summary>The results of a dataset as `fer run` prints them: counts per predicted emotion, failures, and accuracy when labelled.</summary>
public sealed record EmbeddedRunSummary(
    string Dataset,
    string DatabasePath,
    int Total,
    int Scored,
    int Failed,
    int Pending,
    IReadOnlyDictionary<Emotion, int> PredictedCounts,
    ConfusionMatrix? Confusion,
    IReadOnlyList<(string Path, string Reason)> Failures)
{
    public const int FailuresShown = 10;

    /// <summary>Photos in which the detector found no face (a terminal state, not a failure).</summary>
    public int NoFace { get; init; }

    /// <summary>Face rows stored: one per crop, one per detected face of a photo.</summary>
    public int Faces { get; init; }

    /// <summary>What the folder listing left out (special files, links, duplicates, unreadable folders), by reason.</summary>
    public Fer.ImageSources.FolderListingReport? Listing { get; init; }

    /// <summary>The evaluation report written beside the database when the folder is labelled; null otherwise.</summary>
    public string? ReportHtmlPath { get; init; }

    /// <summary>The dataset's row id in the database; null when the run stopped before it existed.</summary>
    public long? DatasetId { get; init; }

    /// <summary>Files listed by an earlier run (scored or not) that are no longer in the folder: left out of every other figure.</summary>
    public int Gone { get; init; }

    /// <summary>This run found nothing new, changed or gone and nothing left pending: no report was written.</summary>
    public bool NothingNew { get; init; }

    /// <summary>The run was stopped (Ctrl-C, SIGTERM, SIGHUP) before every image was done; a rerun resumes it.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The stop came while the folder was still being listed: files not reached yet are in no count.</summary>
    public bool ListingUnfinished { get; init; }

    /// <summary>Images in the folder by the count taken at the start (for a stop mid-listing); null when not counted.</summary>
    public int? FolderCount { get; init; }

    /// <summary>Images in a terminal state: scored, failed, or a photo without a face.</summary>
    public int Finished => Total - Pending;

    /// <summary>A run stopped before its dataset existed in the database.</summary>
    public static EmbeddedRunSummary Empty(string dataset, string databasePath) =>
        new(dataset, databasePath, 0, 0, 0, 0, Enum.GetValues<Emotion>().ToDictionary(e => e, _ => 0), null, []);

    /// <summary>
    /// The dataset's figures from the aggregates a report is built from (<see cref="DatasetReportQuery"/>), so the
    /// summary and the report beside it count the same way; only the faces and the failure list are queried here.
    /// </summary>
    /// <param name="aggregates">the dataset's aggregates when the caller has them already (for the report beside); null: queried here</param>
    public static async Task<EmbeddedRunSummary> LoadAsync(FerDbContext db, long datasetId, string databasePath, CancellationToken cancellationToken,
        ReportAggregates? aggregates = null)
    {
        var name = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId).Select(d => d.Name).SingleAsync(cancellationToken);
        aggregates ??= await new DatasetReportQuery(db).RunAsync(datasetId, mistakeLimit: 0, cancellationToken);
        var images = db.Images.AsNoTracking().Where(i => i.DatasetId == datasetId);
        var failures = await images.Where(i => i.State == ImageState.Failed).OrderBy(i => i.Path).Take(FailuresShown)
            .Select(i => new { i.Path, i.FailureReason })
            .ToListAsync(cancellationToken);
        var confusion = aggregates.LabelledMatrix();
        return new EmbeddedRunSummary(name, databasePath,
            (int)(aggregates.ScoredCount + aggregates.FailedCount + aggregates.PendingCount + aggregates.NoFaceCount),
            (int)aggregates.ScoredCount, (int)aggregates.FailedCount, (int)aggregates.PendingCount,
            aggregates.PredictedCounts().ToDictionary(p => p.Key, p => (int)p.Value),
            confusion.Total == 0 ? null : confusion,
            failures.Select(f => (f.Path, f.FailureReason ?? "")).ToList())
        {
            NoFace = (int)aggregates.NoFaceCount,
            Gone = (int)aggregates.GoneCount,
            // Only scored images count: a gone file keeps its old predictions for its history, not for today's figures.
            Faces = await images.Where(i => i.State == ImageState.Scored).SelectMany(i => i.Predictions).CountAsync(cancellationToken),
            DatasetId = datasetId,
        };
    }
}
