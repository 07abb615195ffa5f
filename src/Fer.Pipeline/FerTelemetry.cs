using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fer.Pipeline;

/// <summary>The pipeline's spans and counters; ServiceDefaults subscribes to <see cref="Name"/>.</summary>
public static class FerTelemetry
{
    public const string Name = "FerBatch.Pipeline";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ImagesIngested = Meter.CreateCounter<long>("fer.images.ingested", description: "Images written Pending and published for scoring");
    public static readonly Counter<long> ImagesScored = Meter.CreateCounter<long>("fer.images.scored", description: "Images that reached the Scored state");
    public static readonly Counter<long> ImagesFailed = Meter.CreateCounter<long>("fer.images.failed", description: "Images that reached the Failed state");
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("fer.batch.size", description: "Messages per consumed micro-batch");
    public static readonly Histogram<double> InferenceDuration = Meter.CreateHistogram<double>("fer.inference.duration", unit: "s", description: "One ONNX Runtime run over a micro-batch");
}
