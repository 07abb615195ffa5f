using System.Diagnostics;
using Fer.Contracts;
using MassTransit;
using MassTransit.Logging;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// One "score-image" span per request of a micro-batch, in that image's own trace (child of the sender's span: the
/// publisher's send span read from the message headers, or `fer run`'s enqueue span), linked to the batch's span. The batch's phases show up as timed events on it,
/// so one image's trace reads enqueue → send → receive → score-image (downloaded, decoded, inferred, persisted).
/// These spans never become <see cref="Activity.Current"/>: the batch's own spans stay children of the batch span.
/// </summary>
public sealed class ImageSpans : IDisposable
{
    private readonly Dictionary<long, Activity> _spans = [];

    public static ImageSpans Start(IEnumerable<ScoreDelivery> deliveries, Activity? batch, DateTimeOffset startedAt)
    {
        var spans = new ImageSpans();
        if (!FerTelemetry.ActivitySource.HasListeners())
            return spans;
        ActivityLink[]? links = batch is null ? null : [new ActivityLink(batch.Context)];
        var current = Activity.Current;
        try
        {
            foreach (var delivery in deliveries)
            {
                // Without a known sender the image span starts its own trace rather than joining the batch's.
                Activity.Current = null;
                var activity = FerTelemetry.ActivitySource.StartActivity("score-image", ActivityKind.Internal, delivery.Sender,
                    tags: [new(FerTelemetry.Tags.ImageId, delivery.Message.ImageId), new(FerTelemetry.Tags.DatasetId, delivery.Message.DatasetId)],
                    links: links, startTime: startedAt);
                if (activity is not null)
                    spans._spans[delivery.Message.ImageId] = activity;
            }
        }
        finally
        {
            Activity.Current = current;
        }
        return spans;
    }

    /// <summary>The image's skipped: its row is no longer Pending with this message's ETag (duplicate or stale delivery).</summary>
    public void Skipped(long imageId)
    {
        if (_spans.TryGetValue(imageId, out var span))
            span.SetTag(FerTelemetry.Tags.Outcome, FerTelemetry.Outcomes.Skipped);
    }

    public void Event(long imageId, string name, DateTimeOffset at, float? milliseconds = null)
    {
        if (!_spans.TryGetValue(imageId, out var span))
            return;
        var tags = milliseconds is { } ms ? new ActivityTagsCollection { ["duration_ms"] = ms } : null;
        span.AddEvent(new ActivityEvent(name, at, tags));
    }

    public void EventForAll(IEnumerable<long> imageIds, string name, DateTimeOffset at)
    {
        foreach (var id in imageIds)
            Event(id, name, at);
    }

    /// <summary>Written: scored ones are OK, failed ones carry their reason as the span's error.</summary>
    public void Completed(ImageOutcome outcome, int batchSize)
    {
        if (!_spans.TryGetValue(outcome.ImageId, out var span))
            return;
        span.SetTag(FerTelemetry.Tags.BatchSize, batchSize);
        span.SetTag(FerTelemetry.Tags.Outcome, FerTelemetry.Outcomes.Of(outcome.State));
        span.SetTag("fer.faces", outcome.Faces.Count);
        if (outcome.Prediction is { } prediction)
            span.SetTag("fer.label", prediction.Label.ToString().ToLowerInvariant());
        else if (outcome.State == Fer.Data.Entities.ImageState.Failed)
            span.SetStatus(ActivityStatusCode.Error, outcome.FailureReason);
    }

    /// <summary>The batch threw (it will be retried): every image span not yet completed records the error.</summary>
    public void Faulted(Exception exception)
    {
        foreach (var span in _spans.Values)
        {
            if (span.GetTagItem(FerTelemetry.Tags.Outcome) is null)
                span.SetStatus(ActivityStatusCode.Error, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    public void Dispose()
    {
        var current = Activity.Current;
        foreach (var span in _spans.Values)
            span.Dispose();
        // Stopping an activity resets Activity.Current to what preceded it; keep the batch span current.
        Activity.Current = current;
        _spans.Clear();
    }

    /// <summary>The publisher's send span, which MassTransit puts in the transport headers (W3C id); default when absent.</summary>
    public static ActivityContext SenderContext(ConsumeContext message) =>
        message.ReceiveContext.TransportHeaders.Get<string>(DiagnosticHeaders.ActivityId) is { } id
        && ActivityContext.TryParse(id, null, isRemote: true, out var context)
            ? context
            : default;
}
