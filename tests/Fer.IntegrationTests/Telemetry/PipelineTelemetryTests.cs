using System.Diagnostics;
using Fer.Pipeline;

namespace Fer.IntegrationTests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class PipelineTelemetryTests(ObservedPipelineFixture pipeline) : IClassFixture<ObservedPipelineFixture>
{
    private const string MassTransitSource = "MassTransit";

    [Fact]
    public void Each_image_has_one_trace_from_enqueue_through_the_broker_to_its_score_span()
    {
        var spans = pipeline.Spans();
        var ingest = spans.Single(s => Is(s, "ingest") && (string?)s.GetTagItem("fer.container") == pipeline.Container);
        Assert.Equal(ObservedPipelineFixture.FaceCount + 1, pipeline.Images.Count);

        foreach (var image in pipeline.Images)
        {
            var enqueue = spans.Single(s => Is(s, "enqueue") && ImageId(s) == image.Id);
            Assert.Equal(default, enqueue.ParentSpanId);
            Assert.Contains(enqueue.Links, l => l.Context.SpanId == ingest.SpanId && l.Context.TraceId == ingest.TraceId);
            Assert.NotEqual(ingest.TraceId, enqueue.TraceId);

            var send = spans.Single(s => s.Source.Name == MassTransitSource && s.Kind == ActivityKind.Producer && s.ParentSpanId == enqueue.SpanId);
            Assert.Equal(enqueue.TraceId, send.TraceId);
            Assert.Contains(spans, s => s.Source.Name == MassTransitSource && s.Kind == ActivityKind.Consumer
                                        && s.ParentSpanId == send.SpanId && s.TraceId == enqueue.TraceId);

            var score = spans.Single(s => Is(s, "score-image") && ImageId(s) == image.Id);
            Assert.Equal(enqueue.TraceId, score.TraceId);
            Assert.Equal(send.SpanId, score.ParentSpanId);
            var events = score.Events.Select(e => e.Name).ToList();
            if (image.State == ImageState.Scored)
            {
                Assert.Equal(FerTelemetry.Outcomes.Scored, score.GetTagItem(FerTelemetry.Tags.Outcome));
                Assert.Equal(ActivityStatusCode.Unset, score.Status);
                Assert.Equal(["downloaded", "decoded", "inferred", "persisted"], events);
            }
            else
            {
                Assert.Equal(ObservedPipelineFixture.CorruptPath, image.Path);
                Assert.Equal(FerTelemetry.Outcomes.Failed, score.GetTagItem(FerTelemetry.Tags.Outcome));
                Assert.Equal(ActivityStatusCode.Error, score.Status);
                Assert.Equal(image.FailureReason, score.StatusDescription);
                Assert.DoesNotContain("inferred", events);
                Assert.Equal("persisted", events[^1]);
            }
            Assert.All(score.Events.Zip(score.Events.Skip(1)), pair => Assert.True(pair.First.Timestamp <= pair.Second.Timestamp));
        }
    }

    [Fact]
    public void The_batch_trace_holds_download_decode_inference_and_the_database_write_and_links_each_message()
    {
        var spans = pipeline.Spans();
        foreach (var image in pipeline.Images)
        {
            var score = spans.Single(s => Is(s, "score-image") && ImageId(s) == image.Id);
            var link = Assert.Single(score.Links);
            var batch = spans.Single(s => Is(s, "score-batch") && s.SpanId == link.Context.SpanId);
            Assert.Equal(link.Context.TraceId, batch.TraceId);
            Assert.Equal(default, batch.ParentSpanId);
            Assert.NotEqual(score.TraceId, batch.TraceId);
            // The batch links back to the sender of each of its messages, i.e. into each image's trace.
            Assert.Contains(batch.Links, l => l.Context.TraceId == score.TraceId && l.Context.SpanId == score.ParentSpanId);

            var children = spans.Where(s => s.TraceId == batch.TraceId && s.ParentSpanId == batch.SpanId).Select(s => s.OperationName).ToList();
            Assert.Subset(children.ToHashSet(), new HashSet<string> { "download", "decode", "inference", "persist" });
            var persist = spans.Single(s => Is(s, "persist") && s.ParentSpanId == batch.SpanId);
            Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.ParentSpanId == persist.SpanId && s.TraceId == batch.TraceId);
            Assert.True(score.StartTimeUtc <= persist.StartTimeUtc + persist.Duration);
        }
    }

    [Fact]
    public async Task Queue_lag_end_to_end_latency_and_the_counters_are_recorded_and_scrapeable()
    {
        List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements;
        lock (pipeline.Measurements)
            measurements = [.. pipeline.Measurements];

        var lag = measurements.Where(m => m.Instrument == "fer.queue.lag").Select(m => m.Value).ToList();
        Assert.True(lag.Count >= pipeline.Images.Count, $"{lag.Count} queue lag values");
        Assert.All(lag, v => Assert.InRange(v, 0, 60));

        var endToEnd = measurements.Where(m => m.Instrument == "fer.image.end_to_end.duration").ToList();
        Assert.Contains(endToEnd, m => Outcome(m.Tags) == FerTelemetry.Outcomes.Scored);
        Assert.Contains(endToEnd, m => Outcome(m.Tags) == FerTelemetry.Outcomes.Failed);
        Assert.All(endToEnd, m => Assert.InRange(m.Value, 0, 60));

        foreach (var instrument in new[] { "fer.images.ingested", "fer.images.scored", "fer.images.failed", "fer.batch.size", "fer.inference.duration" })
            Assert.Contains(measurements, m => m.Instrument == instrument && m.Value > 0);

        var scrape = await pipeline.WorkerHttp.GetStringAsync("/metrics");
        foreach (var series in new[] { "fer_image_end_to_end_duration_seconds_bucket", "fer_queue_lag_seconds_bucket", "fer_images_scored_total",
                                       "fer_inference_duration_seconds_bucket", "fer_batch_size_bucket" })
            Assert.Contains(series, scrape);
        // Second-scale buckets, not the SDK's millisecond defaults.
        Assert.Contains("fer_queue_lag_seconds_bucket{otel_scope_name=\"FerBatch.Pipeline\",le=\"0.05\"}", scrape);
    }

    [Fact]
    public void Worker_log_lines_written_inside_a_batch_carry_its_trace_id()
    {
        var spans = pipeline.Spans();
        var batches = pipeline.Images
            .Select(image => spans.Single(s => Is(s, "score-image") && ImageId(s) == image.Id).Links.Single().Context)
            .Distinct()
            .ToList();
        var lines = pipeline.WorkerLogs.Entries.Where(e => e.Message.StartsWith("Batch of ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains(batches, b => line.Scope.GetValueOrDefault("TraceId")?.ToString() == b.TraceId.ToHexString()
                                                                && line.Scope.GetValueOrDefault("SpanId")?.ToString() == b.SpanId.ToHexString()));
        Assert.Equal(batches.Count, lines.Count);
    }

    private static bool Is(Activity span, string name) => span.Source.Name == FerTelemetry.Name && span.OperationName == name;

    private static long? ImageId(Activity span) => span.GetTagItem(FerTelemetry.Tags.ImageId) as long?;

    private static string? Outcome(KeyValuePair<string, object?>[] tags) =>
        tags.FirstOrDefault(t => t.Key == FerTelemetry.Tags.Outcome).Value as string;
}
