using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fer.Pipeline;

/// <summary>
/// The pipeline's spans and instruments; ServiceDefaults subscribes to <see cref="Name"/>.
/// Span layout (one trace per image, one per batch, linked both ways) is described in docs/operations-telemetry.md.
/// </summary>
public static class FerTelemetry
{
    public const string Name = "FerBatch.Pipeline";

    /// <summary>Span and metric attribute names.</summary>
    public static class Tags
    {
        public const string ImageId = "fer.image_id";
        public const string DatasetId = "fer.dataset_id";
        public const string BatchSize = "fer.batch_size";
        public const string Outcome = "fer.outcome";
    }

    /// <summary>Values of <see cref="Tags.Outcome"/>.</summary>
    public static class Outcomes
    {
        public const string Scored = "scored";
        public const string Failed = "failed";
        public const string NoFace = "no_face";
        public const string Skipped = "skipped";

        public static string Of(Fer.Data.Entities.ImageState state) => state switch
        {
            Fer.Data.Entities.ImageState.Scored => Scored,
            Fer.Data.Entities.ImageState.NoFace => NoFace,
            _ => Failed,
        };
    }

    // Seconds from milliseconds to minutes: the SDK's default buckets (0..10000) are meant for milliseconds.
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
    private static readonly int[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ImagesIngested = Meter.CreateCounter<long>("fer.images.ingested", description: "Images written Pending and published for scoring");
    public static readonly Counter<long> ImagesScored = Meter.CreateCounter<long>("fer.images.scored", description: "Images that reached the Scored state");
    public static readonly Counter<long> ImagesNoFace = Meter.CreateCounter<long>("fer.images.no_face", description: "Photos that reached the NoFace state (no face found)");
    public static readonly Counter<long> FacesScored = Meter.CreateCounter<long>("fer.faces.scored", description: "Face rows written (one per crop, one per detected face)");
    public static readonly Counter<long> ImagesFailed = Meter.CreateCounter<long>("fer.images.failed", description: "Images that reached the Failed state");

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram("fer.batch.size", unit: null,
        description: "Messages per consumed micro-batch", tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });

    public static readonly Histogram<double> InferenceDuration = Meter.CreateHistogram("fer.inference.duration", unit: "s",
        description: "One ONNX Runtime run over a micro-batch", tags: null, advice: SecondsAdvice());

    public static readonly Histogram<double> QueueLag = Meter.CreateHistogram("fer.queue.lag", unit: "s",
        description: "From a ScoreImage message being sent to its micro-batch starting on a worker", tags: null, advice: SecondsAdvice());

    public static readonly Histogram<double> EndToEndDuration = Meter.CreateHistogram("fer.image.end_to_end.duration", unit: "s",
        description: "From a ScoreImage message being sent to its image's terminal row being committed", tags: null, advice: SecondsAdvice());

    private static InstrumentAdvice<double> SecondsAdvice() => new() { HistogramBucketBoundaries = SecondsBuckets };
}
