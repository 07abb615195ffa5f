using Fer.Core.Metrics;

namespace Fer.Reporting.Model;

/// <summary>
/// Everything a reader sees in one evaluation report of a labelled dataset. Renderers only format it;
/// the numbers come from <see cref="Fer.Core.Metrics.ConfusionMatrix"/>, as in <c>fer eval</c>.
/// Label names are the canonical lower-case names ("angry" .. "neutral"); matrices are indexed in FER2013 order.
/// </summary>
public sealed record DatasetReport
{
    public required long DatasetId { get; init; }
    public required string Dataset { get; init; }
    public required string Container { get; init; }

    /// <summary>The model that scored most images; <see cref="Models"/> lists every one when several did.</summary>
    public required string ModelName { get; init; }
    public required string ModelSha256 { get; init; }
    public IReadOnlyList<ModelShare> Models { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public required long ScoredCount { get; init; }
    public required long FailedCount { get; init; }
    public required long PendingCount { get; init; }

    /// <summary>Scored images with a folder label: the population every metric below is computed on.</summary>
    public required long LabelledCount { get; init; }

    public required double Accuracy { get; init; }
    public required double BalancedAccuracy { get; init; }
    public required double MacroF1 { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }
    public IReadOnlyList<ClassReport> Classes { get; init; } = [];

    /// <summary>[true][predicted] counts.</summary>
    public required long[][] Confusion { get; init; }

    /// <summary>[true][predicted] share of each true class (rows sum to 1, or 0 for an absent class).</summary>
    public required double[][] ConfusionRowNormalised { get; init; }

    public IReadOnlyList<ConfusionPair> TopConfusions { get; init; } = [];
    public IReadOnlyList<ConfidentMistake> ConfidentMistakes { get; init; } = [];
    public IReadOnlyList<ScoreBin> ScoreDistribution { get; init; } = [];
    public IReadOnlyList<FailureCount> TopFailureReasons { get; init; } = [];

    /// <summary>
    /// Reliability diagram of the labelled images: per equal-width bin of the top score, the mean score and the
    /// accuracy (a calibrated model sits on the diagonal). Empty for reports stored before it existed.
    /// </summary>
    public IReadOnlyList<CalibrationBin> Reliability { get; init; } = [];

    /// <summary>Expected calibration error over <see cref="Reliability"/>; null when no labelled image was scored.</summary>
    public double? ExpectedCalibrationError { get; init; }

    /// <summary>Against the previous stored report of the same dataset; null for the first report.</summary>
    public required ReportChange? Change { get; init; }

    /// <summary>Accuracy of past reports, oldest first, ending with this one.</summary>
    public IReadOnlyList<TrendPoint> Trend { get; init; } = [];
}
