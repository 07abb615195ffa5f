namespace Fer.Core.Metrics;

/// <summary>
/// How well the top score matches how often the model is right: the top score of each labelled prediction is
/// binned into <see cref="DefaultBinCount"/> equal-width bins over [0, 1], and the expected calibration error is
/// the count-weighted mean gap between each bin's accuracy and its mean confidence (Guo et al. 2017).
/// Built from single predictions (<see cref="Add"/>) or from per-bin sums that a database already grouped
/// (<see cref="AddBin"/>), so <c>fer eval</c> and reports compute it the same way.
/// </summary>
public sealed class CalibrationCurve
{
    public const int DefaultBinCount = 15;

    private readonly long[] _counts;
    private readonly long[] _correct;
    private readonly double[] _confidenceSums;

    public CalibrationCurve(int binCount = DefaultBinCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        _counts = new long[binCount];
        _correct = new long[binCount];
        _confidenceSums = new double[binCount];
    }

    public int BinCount => _counts.Length;

    public long Total => _counts.Sum();

    /// <summary>The bin of a top score; a score of exactly 1 joins the top bin, anything outside [0, 1] is clamped.</summary>
    public int BinOf(double confidence) => Math.Clamp((int)Math.Floor(confidence * BinCount), 0, BinCount - 1);

    public void Add(double confidence, bool correct)
    {
        var bin = BinOf(confidence);
        _counts[bin]++;
        _confidenceSums[bin] += confidence;
        if (correct)
            _correct[bin]++;
    }

    /// <summary>Adds predictions already grouped into <paramref name="bin"/> elsewhere (a SQL GROUP BY).</summary>
    public void AddBin(int bin, long count, long correct, double confidenceSum)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (correct < 0 || correct > count)
            throw new ArgumentOutOfRangeException(nameof(correct), correct, "correct must lie between 0 and count");
        bin = Math.Clamp(bin, 0, BinCount - 1);
        _counts[bin] += count;
        _correct[bin] += correct;
        _confidenceSums[bin] += confidenceSum;
    }

    public IReadOnlyList<CalibrationBin> Bins() =>
        Enumerable.Range(0, BinCount)
            .Select(b => new CalibrationBin(
                (double)b / BinCount,
                (double)(b + 1) / BinCount,
                _counts[b],
                _counts[b] == 0 ? 0 : _confidenceSums[b] / _counts[b],
                _counts[b] == 0 ? 0 : (double)_correct[b] / _counts[b]))
            .ToList();

    /// <summary>Sum over bins of (bin count / total) * |accuracy - mean confidence|; 0 when nothing was added.</summary>
    public double ExpectedCalibrationError
    {
        get
        {
            var total = Total;
            if (total == 0)
                return 0;
            var error = 0.0;
            for (var b = 0; b < BinCount; b++)
            {
                if (_counts[b] == 0)
                    continue;
                var accuracy = (double)_correct[b] / _counts[b];
                var confidence = _confidenceSums[b] / _counts[b];
                error += (double)_counts[b] / total * Math.Abs(accuracy - confidence);
            }
            return error;
        }
    }
}
