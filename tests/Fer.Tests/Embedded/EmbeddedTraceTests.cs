using System.Collections.Concurrent;
using System.Diagnostics;
using Fer.Pipeline;

namespace Fer.Tests.Embedded;

/// <summary>
/// `fer run` keeps one trace per image through its in-process queue: each image's "score-image" span is the child of
/// the "enqueue" span the ingestor started for it (the same shape as through RabbitMQ, minus the broker's spans), and
/// ends with that image's outcome.
/// </summary>
public sealed class EmbeddedTraceTests : TempDirectoryTest
{
    [Fact]
    public async Task Each_image_is_scored_in_the_trace_its_enqueue_span_started()
    {
        var folder = Path.Combine(_temp.Path, "traced");
        FaceFolders.WritePngs(folder, Fer2013Csv.SliceRows(5));
        await File.WriteAllBytesAsync(Path.Combine(folder, "broken.png"), [0x89, 0x50, 0x4E, 0x47]); // a PNG signature, then nothing

        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var summary = await EmbeddedRunner.RunAsync(
            new EmbeddedRunOptions(folder, Path.Combine(_temp.Path, "results.db")) { ModelPath = RepoPaths.ShippedModel }, null, CancellationToken.None);
        Assert.Equal(6, summary.Total);

        // Other tests may run pipelines at the same time: this run's enqueue spans name blobs inside its own folder.
        var enqueued = spans.Where(s => s.OperationName == "enqueue" && (s.GetTagItem("fer.blob") as string ?? "").Contains(folder)).ToList();
        Assert.Equal(6, enqueued.Count);
        foreach (var enqueue in enqueued)
        {
            var scored = spans.Single(s => s.OperationName == "score-image" && s.ParentSpanId == enqueue.SpanId);
            Assert.Equal(enqueue.TraceId, scored.TraceId);
            Assert.Equal(enqueue.GetTagItem(FerTelemetry.Tags.ImageId), scored.GetTagItem(FerTelemetry.Tags.ImageId));
            Assert.Contains(scored.Events, e => e.Name == "persisted");
        }
        var outcomes = enqueued.Select(e => spans.Single(s => s.ParentSpanId == e.SpanId).GetTagItem(FerTelemetry.Tags.Outcome)).ToList();
        Assert.Equal(5, outcomes.Count(o => Equals(o, FerTelemetry.Outcomes.Of(ImageState.Scored))));
        Assert.Equal(1, outcomes.Count(o => Equals(o, FerTelemetry.Outcomes.Of(ImageState.Failed))));
    }
}
