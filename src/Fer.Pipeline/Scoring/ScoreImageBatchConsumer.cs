using System.Diagnostics;
using Fer.Contracts;
using Fer.Core.Faces;
using Fer.Core.Imaging;
using Fer.Core.Inference;
using Fer.Pipeline.Images;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// One micro-batch: skip stale or duplicate messages, download the blobs concurrently, decode them with the same
/// <see cref="FacePreprocessor"/> as <c>fer eval</c> (a crop is one face; a photo goes through the face detector,
/// see <see cref="FaceLocator"/>), run ONE inference over every face of the batch, persist every outcome in one
/// transaction. Bad images become Failed rows, photos without a face NoFace rows; anything else (storage, database)
/// throws so MassTransit retries the batch.
/// </summary>
public sealed class ScoreImageBatchConsumer(
    IImageSource images,
    EmotionClassifier classifier,
    FaceLocator faces,
    CropFolderMarkers markers,
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
        FerTelemetry.BatchSize.Record(batch.Length);
        foreach (var message in batch)
            if (message.SentTime is { } sent)
                FerTelemetry.QueueLag.Record(Seconds(sent, startedAt));

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
            var pending = await writer.FindPendingAsync(messages, cancellationToken);
            var work = messages.Where(m => pending.Contains(m.ImageId)).ToList();
            foreach (var skipped in messages.Where(m => !pending.Contains(m.ImageId)))
                images.Skipped(skipped.ImageId);
            if (work.Count < messages.Count)
                logger.LogDebug("Skipping {Count} messages whose images are no longer Pending with that ETag", messages.Count - work.Count);
            if (work.Count == 0)
                return;

            var outcomes = await ScoreAsync(work, images, cancellationToken);
            var model = new ModelIdentity(classifier.ModelName, classifier.ModelSha256, workerId);
            var moved = await writer.WriteAsync(outcomes, model, cancellationToken);
            var writtenAt = DateTimeOffset.UtcNow;
            var sentTimes = deliveries.ToDictionary(m => m.Message.ImageId, m => m.SentTime);
            foreach (var outcome in outcomes)
            {
                images.Event(outcome.ImageId, "persisted", writtenAt);
                images.Completed(outcome, work.Count);
                if (sentTimes[outcome.ImageId] is { } sent)
                    FerTelemetry.EndToEndDuration.Record(Seconds(sent, writtenAt),
                        new KeyValuePair<string, object?>(FerTelemetry.Tags.Outcome, FerTelemetry.Outcomes.Of(outcome.State)));
            }
            activity?.SetTag("fer.rows_moved", moved);
            logger.LogDebug("Batch of {Count}: {Moved} rows reached a terminal state", work.Count, moved);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{ex.GetType().Name}: {ex.Message}");
            images.Faulted(ex);
            if (cancellationToken.IsCancellationRequested || context.GetRetryAttempt() < _options.RetryLimit)
                throw;
            // Last attempt: the batch goes to the _error queue; leave the reason where users look for it.
            logger.LogError(ex, "Batch of {Count} failed after {Retries} retries; moving it to the error queue", messages.Count, _options.RetryLimit);
            try
            {
                await writer.RecordTransientFailureAsync(messages, $"gave up after {_options.RetryLimit} retries: {ex.GetType().Name}: {ex.Message}", workerId, CancellationToken.None);
            }
            catch (Exception recordError)
            {
                logger.LogWarning(recordError, "Could not record the failure reason on the image rows");
            }
            throw;
        }
    }

    private static double Seconds(DateTime sentUtc, DateTimeOffset until) =>
        Math.Max(0, (until.UtcDateTime - DateTime.SpecifyKind(sentUtc, DateTimeKind.Utc)).TotalSeconds);

    private static ActivityLink[] SenderLinks(Batch<ScoreImage> batch) =>
        batch.Select(ImageSpans.SenderContext).Where(context => context != default).Select(context => new ActivityLink(context)).ToArray();

    private async Task<List<ImageOutcome>> ScoreAsync(List<ScoreImage> work, ImageSpans spans, CancellationToken cancellationToken)
    {
        var count = work.Count;
        var bytes = new byte[count][];
        var downloadMs = new float[count];
        var decodeMs = new float[count];
        var failures = new string?[count];
        var downloadedAt = new DateTimeOffset[count];
        var decodedAt = new DateTimeOffset[count];
        var maxBytes = ImageLimits.Default.MaxEncodedBytes;

        using (FerTelemetry.ActivitySource.StartActivity("download"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.DownloadConcurrency), CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        bytes[i] = await images.ReadAsync(work[i].Container, work[i].BlobName, maxBytes, ct);
                    }
                    catch (ImageNotFoundException ex)
                    {
                        failures[i] = ex.Message;
                    }
                    catch (InvalidImageException ex)
                    {
                        failures[i] = ex.Reason;
                    }
                    downloadMs[i] = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    downloadedAt[i] = DateTimeOffset.UtcNow;
                });
        }
        for (var i = 0; i < count; i++)
            spans.Event(work[i].ImageId, "downloaded", downloadedAt[i], downloadMs[i]);

        // Crop or photo: a dataset folder may declare itself crops with a marker (asked once per dataset, cached).
        var cropFolders = new bool[count];
        if (faces.Options.Mode == FaceMode.Auto)
            for (var i = 0; i < count; i++)
                if (failures[i] is null)
                    cropFolders[i] = await markers.IsCropFolderAsync(work[i].Container, CropFolderMarkers.DatasetOf(work[i]), cancellationToken);

        var located = new LocatedImage?[count];
        var detectMs = new float[count];
        using (FerTelemetry.ActivitySource.StartActivity("decode"))
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                if (failures[i] is not null)
                    return;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    located[i] = faces.Locate(bytes[i], cropFolders[i]);
                    detectMs[i] = located[i]!.DetectMs;
                }
                catch (InvalidImageException ex)
                {
                    failures[i] = ex.Reason;
                }
                decodeMs[i] = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds - detectMs[i];
                decodedAt[i] = DateTimeOffset.UtcNow;
            });
        }
        for (var i = 0; i < count; i++)
        {
            if (decodedAt[i] == default)
                continue;
            spans.Event(work[i].ImageId, "decoded", decodedAt[i], decodeMs[i]);
            if (located[i] is { Detected: true } photo)
                spans.Event(work[i].ImageId, "detected", decodedAt[i], photo.DetectMs);
        }

        // Every face of the batch (one per crop, any number per photo) back to back: ONE dense [n,1,48,48] run.
        var faceCount = 0;
        for (var i = 0; i < count; i++)
            if (failures[i] is null)
                faceCount += located[i]!.Faces.Count;
        var pixels = new float[faceCount * FacePreprocessor.PixelCount];
        var slot = 0;
        for (var i = 0; i < count; i++)
        {
            if (failures[i] is not null)
                continue;
            foreach (var face in located[i]!.Faces)
                face.Pixels.CopyTo(pixels, slot++ * FacePreprocessor.PixelCount);
        }

        EmotionPrediction[] predictions;
        float inferenceMs;
        using (var inference = FerTelemetry.ActivitySource.StartActivity("inference"))
        {
            inference?.SetTag("fer.faces", faceCount);
            var started = Stopwatch.GetTimestamp();
            predictions = classifier.Classify(pixels, faceCount);
            inferenceMs = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            FerTelemetry.InferenceDuration.Record(inferenceMs / 1000.0);
        }
        spans.EventForAll(Enumerable.Range(0, count).Where(i => failures[i] is null).Select(i => work[i].ImageId), "inferred", DateTimeOffset.UtcNow);

        var outcomes = new List<ImageOutcome>(count);
        slot = 0;
        for (var i = 0; i < count; i++)
        {
            var imageFaces = new List<FaceOutcome>();
            if (failures[i] is null)
                foreach (var face in located[i]!.Faces)
                    imageFaces.Add(new FaceOutcome((short)face.Index, face.Box, face.DetectorConfidence, predictions[slot++]));
            outcomes.Add(new ImageOutcome(work[i].ImageId, work[i].DatasetId, work[i].ETag, imageFaces, failures[i])
            {
                DownloadMs = downloadMs[i],
                DecodeMs = decodeMs[i],
                DetectMs = detectMs[i],
                InferenceMs = imageFaces.Count == 0 ? 0 : inferenceMs,
                BatchSize = count,
            });
        }
        return outcomes;
    }
}
