using System.Diagnostics;
using Fer.Contracts;
using Fer.Core.Imaging;
using Fer.Core.Inference;
using Fer.Pipeline.Images;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// One micro-batch: skip stale or duplicate messages, download the blobs concurrently, decode them with the same
/// <see cref="FacePreprocessor"/> as <c>fer eval</c>, run ONE inference, persist every outcome in one transaction.
/// Bad images become Failed rows; anything else (storage, database) throws so MassTransit retries the batch.
/// </summary>
public sealed class ScoreImageBatchConsumer(
    IImageSource images,
    EmotionClassifier classifier,
    IPredictionWriter writer,
    IOptions<WorkerOptions> options,
    ILogger<ScoreImageBatchConsumer> logger) : IConsumer<Batch<ScoreImage>>
{
    private readonly WorkerOptions _options = options.Value;

    public async Task Consume(ConsumeContext<Batch<ScoreImage>> context)
    {
        var cancellationToken = context.CancellationToken;
        FerTelemetry.BatchSize.Record(context.Message.Length);
        using var activity = FerTelemetry.ActivitySource.StartActivity("score-batch");
        activity?.SetTag("fer.batch_size", context.Message.Length);

        // The same image twice in one batch (a re-publish racing the original) is scored once.
        var messages = context.Message.Select(m => m.Message).GroupBy(m => m.ImageId).Select(g => g.Last()).ToList();
        var workerId = _options.ResolveWorkerId();
        try
        {
            var pending = await writer.FindPendingAsync(messages, cancellationToken);
            var work = messages.Where(m => pending.Contains(m.ImageId)).ToList();
            if (work.Count < messages.Count)
                logger.LogDebug("Skipping {Count} messages whose images are no longer Pending with that ETag", messages.Count - work.Count);
            if (work.Count == 0)
                return;

            var outcomes = await ScoreAsync(work, cancellationToken);
            var model = new ModelIdentity(classifier.ModelName, classifier.ModelSha256, workerId);
            var moved = await writer.WriteAsync(outcomes, model, cancellationToken);
            logger.LogDebug("Batch of {Count}: {Moved} rows reached a terminal state", work.Count, moved);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && context.GetRetryAttempt() >= _options.RetryLimit)
        {
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

    private async Task<List<ImageOutcome>> ScoreAsync(List<ScoreImage> work, CancellationToken cancellationToken)
    {
        var count = work.Count;
        var bytes = new byte[count][];
        var downloadMs = new float[count];
        var decodeMs = new float[count];
        var failures = new string?[count];
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
                });
        }

        var pixels = new float[count * FacePreprocessor.PixelCount];
        using (FerTelemetry.ActivitySource.StartActivity("decode"))
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                if (failures[i] is not null)
                    return;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    FacePreprocessor.Preprocess(bytes[i], pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
                }
                catch (InvalidImageException ex)
                {
                    failures[i] = ex.Reason;
                }
                decodeMs[i] = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
        }

        // Pack the decodable faces back to back so the model sees one dense [n,1,48,48] tensor.
        var good = Enumerable.Range(0, count).Where(i => failures[i] is null).ToArray();
        for (var slot = 0; slot < good.Length; slot++)
            if (good[slot] != slot)
                Array.Copy(pixels, good[slot] * FacePreprocessor.PixelCount, pixels, slot * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount);

        EmotionPrediction[] predictions;
        float inferenceMs;
        using (var inference = FerTelemetry.ActivitySource.StartActivity("inference"))
        {
            inference?.SetTag("fer.faces", good.Length);
            var started = Stopwatch.GetTimestamp();
            predictions = classifier.Classify(pixels, good.Length);
            inferenceMs = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            FerTelemetry.InferenceDuration.Record(inferenceMs / 1000.0);
        }

        var outcomes = new List<ImageOutcome>(count);
        var predictionBySlot = good.Select((index, slot) => (index, slot)).ToDictionary(x => x.index, x => predictions[x.slot]);
        for (var i = 0; i < count; i++)
        {
            var prediction = predictionBySlot.GetValueOrDefault(i);
            outcomes.Add(new ImageOutcome(work[i].ImageId, work[i].DatasetId, work[i].ETag, prediction, failures[i])
            {
                DownloadMs = downloadMs[i],
                DecodeMs = decodeMs[i],
                InferenceMs = prediction is null ? 0 : inferenceMs,
                BatchSize = count,
            });
        }
        return outcomes;
    }
}
