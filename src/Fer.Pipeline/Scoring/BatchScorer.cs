using System.Diagnostics;
using Fer.Contracts;
using Fer.Inference.Faces;
using Fer.Core.Imaging;
using Fer.Inference;
using Fer.ImageSources;
using Microsoft.Extensions.Options;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// Scores one micro-batch in stages, each a span of the batch's trace: download (concurrent reads from the image
/// source) → locate faces (decode, crop or detect, preprocess; in parallel) → infer (ONE run over every face of the
/// batch) → outcomes. Bad images become Failed outcomes and photos without a face NoFace ones; storage and model
/// errors throw, so the caller can retry the whole batch.
/// </summary>
public sealed class BatchScorer(
    IImageSource images,
    EmotionClassifier classifier,
    FaceLocator faces,
    CropFolderMarkers markers,
    IOptions<WorkerOptions> options)
{
    private readonly WorkerOptions _options = options.Value;

    public EmotionClassifier Classifier => classifier;

    public async Task<List<ImageOutcome>> ScoreAsync(IReadOnlyList<ScoreImage> messages, ImageSpans spans, CancellationToken cancellationToken)
    {
        var work = messages.Select(m => new ImageWork(m)).ToArray();
        await DownloadAsync(work, spans, cancellationToken);
        await LocateFacesAsync(work, spans, cancellationToken);
        // A stopping consumer (Ctrl-C in `fer run`, a host shutting down) drops the batch here rather than spend a model
        // run whose results it could no longer write: the rows stay Pending and are scored again later.
        cancellationToken.ThrowIfCancellationRequested();
        var inferenceMs = Infer(work, spans);
        return Outcomes(work, inferenceMs);
    }

    private async Task DownloadAsync(ImageWork[] work, ImageSpans spans, CancellationToken cancellationToken)
    {
        var maxBytes = ImageLimits.Default.MaxEncodedBytes;
        using (FerTelemetry.ActivitySource.StartActivity("download"))
        {
            await Parallel.ForEachAsync(work,
                new ParallelOptions { MaxDegreeOfParallelism = _options.DownloadConcurrency, CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        item.Bytes = await images.ReadAsync(item.Message.Container, item.Message.BlobName, maxBytes, ct);
                    }
                    catch (ImageNotFoundException ex)
                    {
                        item.Failure = ex.Message;
                    }
                    catch (InvalidImageException ex)
                    {
                        item.Failure = ex.Reason;
                    }
                    item.DownloadMs = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    spans.Event(item.ImageId, "downloaded", DateTimeOffset.UtcNow, item.DownloadMs);
                });
        }
    }

    private async Task LocateFacesAsync(ImageWork[] work, ImageSpans spans, CancellationToken cancellationToken)
    {
        // Crop or photo: a dataset folder may declare itself crops with a marker (asked once per dataset, cached).
        if (faces.Options.Mode == FaceMode.Auto)
            foreach (var item in work.Where(w => !w.Failed))
                item.FolderIsCrops = await markers.IsCropFolderAsync(item.Message.Container, CropFolderMarkers.DatasetOf(item.Message), cancellationToken);

        using (FerTelemetry.ActivitySource.StartActivity("decode"))
        {
            Parallel.ForEach(work.Where(w => !w.Failed), new ParallelOptions { CancellationToken = cancellationToken }, item =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    item.Located = faces.Locate(item.Bytes!, item.FolderIsCrops);
                    item.DetectMs = item.Located.DetectMs;
                }
                catch (InvalidImageException ex)
                {
                    item.Failure = ex.Reason;
                }
                item.Bytes = null; // the encoded file is not needed past this point
                item.DecodeMs = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds - item.DetectMs;
                var decodedAt = DateTimeOffset.UtcNow;
                spans.Event(item.ImageId, "decoded", decodedAt, item.DecodeMs);
                if (item.Located is { Detected: true } photo)
                    spans.Event(item.ImageId, "detected", decodedAt, photo.DetectMs);
            });
        }
    }

    /// <summary>Every face of the batch (one per crop, any number per photo) back to back in one dense [n,1,48,48] run.</summary>
    private float Infer(ImageWork[] work, ImageSpans spans)
    {
        var located = work.Where(w => !w.Failed).ToList();
        var allFaces = located.SelectMany(w => w.Located!.Faces).ToList();
        using var inference = FerTelemetry.ActivitySource.StartActivity("inference");
        inference?.SetTag("fer.faces", allFaces.Count);
        var started = Stopwatch.GetTimestamp();
        var predictions = classifier.Classify(allFaces);
        var inferenceMs = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        FerTelemetry.InferenceDuration.Record(inferenceMs / 1000.0);

        var next = 0;
        foreach (var item in located)
        {
            item.Predictions = predictions[next..(next + item.Located!.Faces.Count)];
            next += item.Predictions.Length;
        }
        spans.EventForAll(located.Select(w => w.ImageId), "inferred", DateTimeOffset.UtcNow);
        return inferenceMs;
    }

    private static List<ImageOutcome> Outcomes(ImageWork[] work, float inferenceMs) =>
        work.Select(item =>
        {
            var imageFaces = item.Failed
                ? []
                : item.Located!.Faces.Select((face, i) => new FaceOutcome((short)face.Index, face.Box, face.DetectorConfidence, item.Predictions[i])).ToList();
            return new ImageOutcome(item.ImageId, item.Message.DatasetId, item.Message.ETag, imageFaces, item.Failure)
            {
                DownloadMs = item.DownloadMs,
                DecodeMs = item.DecodeMs,
                DetectMs = item.DetectMs,
                InferenceMs = imageFaces.Count == 0 ? 0 : inferenceMs,
                BatchSize = work.Length,
            };
        }).ToList();
}
