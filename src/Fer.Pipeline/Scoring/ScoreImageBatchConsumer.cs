using System.Diagnostics;
using Fer.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// One micro-batch: skip stale or duplicate messages, score the rest with <see cref="BatchScorer"/> (download, locate
/// faces, one inference, outcomes), persist every outcome in one transaction. Bad images become Failed rows, photos
/// without a face NoFace rows; anything else (storage, database) throws so MassTransit retries the batch.
/// </summary>
public sealed class ScoreImageBatchConsumer(
    BatchScorer scorer,
    IPredictionWriter writer,
    IOptions<WorkerOptions> options,
    ILogger<ScoreImageBatchConsumer> logger) : IConsumer<Batch<ScoreImage>>
{
    private readonly WorkerOptions _options = options.Value;

    public async Task Consume(ConsumeContext<Batch<ScoreImage>> context)
    {
        var cancellationToken = context.CancellationToken;
        var startedAt = DateTimeOffset.UtcNow;
        var batch = context.Message;
        RecordArrival(batch, startedAt);

        // The same image twice in one batch (a re-publish racing the original) is scored once.
        var deliveries = batch.GroupBy(m => m.Message.ImageId).Select(g => g.Last()).ToList();
        var messages = deliveries.Select(m => m.Message).ToList();

        // The batch is its own trace (MassTransit would make it a child of whichever message completed the batch),
        // linked to every message's sender; each image's trace gets a score-image span linked back to it.
        Activity.Current = null;
        using var activity = FerTelemetry.ActivitySource.StartActivity("score-batch", ActivityKind.Internal, parentContext: default,
            tags: [new(FerTelemetry.Tags.BatchSize, batch.Length)], links: SenderLinks(batch));
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
            if (cancellationToken.IsCancellationRequested || context.GetRetryAttempt() < _options.RetryLimit)
                throw;
            await GiveUpAsync(messages, ex, workerId);
            throw;
        }
    }

    private static void RecordArrival(Batch<ScoreImage> batch, DateTimeOffset startedAt)
    {
        FerTelemetry.BatchSize.Record(batch.Length);
        foreach (var message in batch)
            if (message.SentTime is { } sent)
                FerTelemetry.QueueLag.Record(Seconds(sent, startedAt));
    }

    /// <summary>The messages whose images are still Pending with that ETag; the others are marked skipped on their spans.</summary>
    private async Task<List<ScoreImage>> StillPendingAsync(List<ScoreImage> messages, ImageSpans images, CancellationToken cancellationToken)
    {
        var pending = await writer.FindPendingAsync(messages, cancellationToken);
        var work = messages.Where(m => pending.Contains(m.ImageId)).ToList();
        foreach (var skipped in messages.Where(m => !pending.Contains(m.ImageId)))
            images.Skipped(skipped.ImageId);
        if (work.Count < messages.Count)
            logger.LogDebug("Skipping {Count} messages whose images are no longer Pending with that ETag", messages.Count - work.Count);
        return work;
    }

    private static void RecordPersisted(List<ImageOutcome> outcomes, List<ConsumeContext<ScoreImage>> deliveries, ImageSpans images, int batchSize)
    {
        var writtenAt = DateTimeOffset.UtcNow;
        var sentTimes = deliveries.ToDictionary(m => m.Message.ImageId, m => m.SentTime);
        foreach (var outcome in outcomes)
        {
            images.Event(outcome.ImageId, "persisted", writtenAt);
            images.Completed(outcome, batchSize);
            if (sentTimes[outcome.ImageId] is { } sent)
                FerTelemetry.EndToEndDuration.Record(Seconds(sent, writtenAt),
                    new KeyValuePair<string, object?>(FerTelemetry.Tags.Outcome, FerTelemetry.Outcomes.Of(outcome.State)));
        }
    }

    /// <summary>Last attempt: the batch goes to the _error queue; leave the reason where users look for it.</summary>
    private async Task GiveUpAsync(List<ScoreImage> messages, Exception ex, string workerId)
    {
        logger.LogError(ex, "Batch of {Count} failed after {Retries} retries; moving it to the error queue", messages.Count, _options.RetryLimit);
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

    private static ActivityLink[] SenderLinks(Batch<ScoreImage> batch) =>
        batch.Select(ImageSpans.SenderContext).Where(context => context != default).Select(context => new ActivityLink(context)).ToArray();
}
