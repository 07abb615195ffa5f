using Fer.Data;

namespace Fer.Pipeline.Ingestion;

/// <summary>Bound from <c>Fer:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Fer:Ingest";

    /// <summary>Blob container watched by the ingest host; each top-level folder is a dataset.</summary>
    public string Container { get; set; } = "fer-images";

    /// <summary>Poll the container for new folders and new images in known folders.</summary>
    public bool WatchEnabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A new folder is ingested once it holds this blob ...</summary>
    public string ReadyMarker { get; set; } = Fer.Core.Datasets.DatasetMarkers.Ready;

    /// <summary>... or once nothing in it changed for this long.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Names asked per blob listing page.</summary>
    [AtLeast(1)]
    public int ListPageSize { get; set; } = 1000;

    /// <summary>Image rows written (and messages published) per database round trip.</summary>
    [AtLeast(1)]
    public int WriteChunkSize { get; set; } = 500;

    /// <summary>Largest body POST /classify accepts.</summary>
    public long MaxClassifyBytes { get; set; } = 25 * 1024 * 1024;
}
