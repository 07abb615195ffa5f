using Fer.Reporting.Publishing;

namespace Fer.Reporting;

/// <summary>Bound from configuration section <c>Fer:Reports</c>.</summary>
public sealed class ReportSettings
{
    public const string Section = "Fer:Reports";

    /// <summary>Cron expression (UTC, five fields) of the nightly run.</summary>
    public string Schedule { get; set; } = "0 2 * * *";

    /// <summary>Blob container the report files go to.</summary>
    public string Container { get; set; } = BlobReportStore.DefaultContainer;

    /// <summary>When set, report files go to this local folder instead of blob storage.</summary>
    public string? Folder { get; set; }

    public int MistakeCount { get; set; } = 24;
    public int TrendLength { get; set; } = 30;

    /// <summary>Download the mistaken images from blob storage to show thumbnails.</summary>
    public bool Thumbnails { get; set; } = true;
}
