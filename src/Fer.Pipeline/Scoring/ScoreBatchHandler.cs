using System.Diagnostics;
using Fer.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// One micro-batch: skip stale or duplicate requests, score the rest with <see cref="BatchScorer"/> (download, locate
/// faces, one inference, outcomes), persist every outcome in one transaction. Bad images become Failed rows, photos
/// without a face NoFace rows; anything else (storage, database) throws so that the caller retries the batch, and on
/// the last attempt the reason is first written on the rows. The worker's consumer and `fer run`'s dispatcher share it.
/// </summary>
public sealed class ScoreBatchHandler(
    BatchScorer scorer,
    IPredictionWriter writer,
    IOptions<WorkerOptions> options,
    ILogger<ScoreBatchHandler> logger) : IScoreBatchHandler
{
    private readonly WorkerOptions _options = options.Value;

    public async Task HandleAsync(IReadOnlyList<ScoreDelivery> batch, bool lastAttempt, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        RecordArrival(batch, startedAt);

        // The same image twice in one batch (a re-publish racing the original) is scored once.
        var deliveries = batch.GroupBy(d => d.Message.ImageId).Select(g => g.Last()).ToList();
        var messages = deliveries.Select(d => d.Message).ToList();

        // The batch is its own trace (a transport would make it a child of whichever message completed the batch),
        // linked to every request's sender; each image's trace gets a score-image span linked back to it.
        Activity.Current = null;
        using var activity = FerTelemetry.ActivitySource.StartActivity("score-batch", ActivityKind.Internal, parentContext: default,
            tags: [new(FerTelemetry.Tags.BatchSize, batch.Count)], links: SenderLinks(batch));
        using var images = ImageSpans.Start(deliveries, activity, startedAt);

        var workerId = _options.ResolveWorkerId();
        try
        {
            var work = await StillPendingAsync(messages, images, cancellationToken);
            if (work.Count == 0)
                return;

            var outcomes = await scorer.ScoreAsync(work, images, cancellationToken);
            var model = new ModelIdentity(scorer.Classifier.ModelName, scorer.Classifier.ModelSha256, workerId);
            var moved = await writer.WriteAsync(outcomes, model, cancellationToken);
            RecordPersisted(outcomes, deliveries, images, work.Count);
            activity?.SetTag("fer.rows_moved", moved);
            logger.LogDebug("Batch of {Count}: {Moved} rows reached a terminal state", work.Count, moved);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{ex.GetType().Name}: {ex.Message}");
            images.Faulted(ex);
            if (cancellationToken.IsCancellationRequested || !lastAttempt)
                throw;
            await GiveUpAsync(messages, ex, workerId);
            throw;
        }
    }

    private static void RecordArrival(IReadOnlyList<ScoreDelivery> batch, DateTimeOffset startedAt)
    {
        FerTelemetry.BatchSize.Record(batch.Count);
        foreach (var delivery in batch)
            if (delivery.SentTimeUtc is { } sent)
                FerTelemetry.QueueLag.Record(Seconds(sent, startedAt));
    }

    /// <summary>The requests whose images are still Pending with that ETag; the others are marked skipped on their spans.</summary>
    private async Task<List<ScoreImage>> StillPendingAsync(List<ScoreImage> messages, ImageSpans images, CancellationToken cancellationToken)
    {
        var pending = await writer.FindPendingAsync(messages, cancellationToken);
        var work = messages.Where(m => pending.Contains(m.ImageId)).ToList();
        foreach (var skipped in messages.Where(m => !pending.Contains(m.ImageId)))
            images.Skipped(skipped.ImageId);
        if (work.Count < messages.Count)
            logger.LogDebug("Skipping {Count} requests whose images are no longer Pending with that ETag", messages.Count - work.Count);
        return work;
    }

    private static void RecordPersisted(List<ImageOutcome> outcomes, List<ScoreDelivery> deliveries, ImageSpans images, int batchSize)
    {
        var writtenAt = DateTimeOffset.UtcNow;
        var sentTimes = deliveries.ToDictionary(d => d.Message.ImageId, d => d.SentTimeUtc);
        foreach (var outcome in outcomes)
        {
            images.Event(outcome.ImageId, "persisted", writtenAt);
            images.Completed(outcome, batchSize);
            if (sentTimes[outcome.ImageId] is { } sent)
                FerTelemetry.EndToEndDuration.Record(Seconds(sent, writtenAt),
                    new KeyValuePair<string, object?>(FerTelemetry.Tags.Outcome, FerTelemetry.Outcomes.Of(outcome.State)));
        }
    }

    /// <summary>Last attempt: leave the reason where users look for it.</summary>
    private async Task GiveUpAsync(List<ScoreImage> messages, Exception ex, string workerId)
    {
        logger.LogError(ex, "Batch of {Count} failed after {Retries} retries; giving up on it", messages.Count, _options.RetryLimit);
        try
        {
            await writer.RecordTransientFailureAsync(messages, $"gave up after {_options.RetryLimit} retries: {ex.GetType().Name}: {ex.Message}", workerId, CancellationToken.None);
        }
        catch (Exception recordError)
        {
            logger.LogWarning(recordError, "Could not record the failure reason on the image rows");
        }
    }

    private static double Seconds(DateTime sentUtc, DateTimeOffset until) =>
        Math.Max(0, (until.UtcDateTime - DateTime.SpecifyKind(sentUtc, DateTimeKind.Utc)).TotalSeconds);

    private static ActivityLink[] SenderLinks(IReadOnlyList<ScoreDelivery> batch) =>
        batch.Where(d => d.Sender != default).Select(d => new ActivityLink(d.Sender)).ToArray();
}
