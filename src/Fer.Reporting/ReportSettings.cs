using Azure.Storage.Blobs;
using Fer.Data;
using Fer.Reporting.Publishing;

namespace Fer.Reporting;

/// <summary>
/// How reports are made and where they go: bound from configuration section <c>Fer:Reports</c> in the Reports host,
/// filled from its options by <c>fer report</c> and used with its defaults by embedded <c>fer run</c>.
/// </summary>
public sealed class ReportSettings
{
    public const string Section = "Fer:Reports";

    /// <summary>Cron expression (UTC, five fields) of the nightly run.</summary>
    public string Schedule { get; set; } = "0 2 * * *";

    /// <summary>Blob container the report files go to.</summary>
    public string Container { get; set; } = BlobReportStore.DefaultContainer;

    /// <summary>When set, report files go to this local folder instead of blob storage.</summary>
    public string? Folder { get; set; }

    /// <summary>How many of the most confident mistakes to list.</summary>
    [AtLeast(0)]
    public int MistakeCount { get; set; } = 24;

    /// <summary>How many reports the accuracy trend shows, this one included.</summary>
    [AtLeast(1)]
    public int TrendLength { get; set; } = 30;

    /// <summary>Read the mistaken images (from the dataset's own storage, or <see cref="ImagesFolder"/>) to show thumbnails.</summary>
    public bool Thumbnails { get; set; } = true;

    /// <summary>When set, thumbnails come from this local folder, laid out as the stored paths (<c>fer report --images</c>).</summary>
    public string? ImagesFolder { get; set; }

    /// <summary>
    /// Where the files go: <see cref="Folder"/> when set, else the blob <see cref="Container"/> of the client
    /// <paramref name="blobs"/> gives (asked for only then, so a folder needs no blob storage).
    /// </summary>
    public IReportStore Store(Func<BlobServiceClient>? blobs = null)
    {
        if (!string.IsNullOrWhiteSpace(Folder))
            return new FolderReportStore(Folder);
        if (blobs is null)
            throw new InvalidOperationException($"{Section}:Folder is not set and there is no blob storage for the report files");
        return new BlobReportStore(blobs().GetBlobContainerClient(Container));
    }
}
