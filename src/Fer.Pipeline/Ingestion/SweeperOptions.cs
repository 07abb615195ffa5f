namespace Fer.Pipeline.Ingestion;

/// <summary>Bound from <c>Fer:Sweeper</c>.</summary>
public sealed class SweeperOptions
{
    public const string Section = "Fer:Sweeper";

    public bool Enabled { get; set; } = true;
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A Pending row never confirmed as published is re-published once it is this old (its ingestion died between commit and publish).</summary>
    public TimeSpan UnpublishedGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When set, Pending rows published this long ago without a result are published again (e.g. after their batch went to the _error queue).</summary>
    public TimeSpan? RepublishUnfinishedAfter { get; set; }

    /// <summary>Most rows re-published per pass.</summary>
    public int BatchSize { get; set; } = 1000;
}
