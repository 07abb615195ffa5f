namespace Fer.Data.Entities;

/// <summary>A stored evaluation report of a labelled dataset, with its three renderings.</summary>
public class Report
{
    public long Id { get; set; }
    public long DatasetId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string ModelName { get; set; }
    public required string ModelSha256 { get; set; }
    public long ScoredCount { get; set; }
    public long FailedCount { get; set; }
    public double Accuracy { get; set; }
    public double MacroF1 { get; set; }

    /// <summary>"nightly" or "on-demand".</summary>
    public required string Trigger { get; set; }

    public required string Json { get; set; }
    public required string Html { get; set; }
    public required string Markdown { get; set; }
}
