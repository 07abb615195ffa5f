using System.Data.Common;
using Fer.Data;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Embedded;

/// <summary>
/// `fer run`'s progress while the folder is still being listed. The listing only runs as far ahead of the model as
/// the queue holds, so on a large folder it lasts nearly the whole run. The rows known so far are the files listed
/// or the rows an earlier run left in the database, whichever is more, and every known row not Pending is done; the
/// total is the folder's count (<paramref name="folderCount"/>, taken by a separate quick walk) once that is in, and
/// until then the rows known so far, marked as still growing. Each report costs one count of the dataset's Pending
/// rows (the state index).
/// </summary>
public sealed class ListingProgress(IDbContextFactory<FerDbContext> factory, IProgress<EmbeddedRunProgress>? progress, EarlierRun? earlier,
    Task<int>? folderCount = null)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private long _datasetId = earlier?.DatasetId ?? 0;
    private int _listed;
    private int _lastDone;

    /// <summary>The ingestor's callback after each chunk: the dataset's id and how many images it has listed so far.</summary>
    public void OnListed(long datasetId, int listed)
    {
        Volatile.Write(ref _datasetId, datasetId);
        Volatile.Write(ref _listed, listed);
    }

    /// <summary>Reports every <see cref="Interval"/> until <paramref name="listing"/> ends; never throws.</summary>
    public async Task ReportUntilAsync(Task listing, CancellationToken cancellationToken)
    {
        if (progress is null)
            return;
        while (await Task.WhenAny(listing, Task.Delay(Interval, cancellationToken)) != listing && !cancellationToken.IsCancellationRequested)
        {
            var datasetId = Volatile.Read(ref _datasetId);
            if (datasetId == 0)
                continue;
            var known = Math.Max(Volatile.Read(ref _listed), earlier?.Rows ?? 0);
            int? counted = folderCount is { IsCompletedSuccessfully: true } ? folderCount.Result : null;
            int pending;
            try
            {
                await using var db = await factory.CreateDbContextAsync(cancellationToken);
                pending = await EmbeddedDatasetQueries.CountPendingAsync(db, datasetId, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (DbException)
            {
                continue; // progress is best effort: the run's own statements report a database that fails
            }
            // The listed count moves only after a chunk's rows are committed Pending, so a count taken in between
            // would show less done than the last report: progress never goes back.
            var done = _lastDone = Math.Max(_lastDone, known - pending);
            progress.Report(counted is { } folderTotal
                ? new EmbeddedRunProgress(done, Math.Max(folderTotal, known))
                : new EmbeddedRunProgress(done, known, StillListing: true));
        }
    }
}
