using Fer.Reporting.Rendering;

namespace Fer.Reporting;

public sealed record ReportOptions
{
    /// <summary>How many of the most confident mistakes to list.</summary>
    public int MistakeCount { get; init; } = 24;

    /// <summary>How many reports the accuracy trend shows, this one included.</summary>
    public int TrendLength { get; init; } = 30;

    /// <summary>Where thumbnails of the mistakes come from; null leaves them out.</summary>
    public ReportImageSource? ImageSource { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
