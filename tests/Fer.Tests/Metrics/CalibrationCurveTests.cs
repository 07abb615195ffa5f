using Fer.Core.Metrics;

namespace Fer.Tests.Metrics;

public class CalibrationCurveTests
{
    [Fact]
    public void Ece_matches_a_hand_computed_example()
    {
        // bin 13 (0.8667-0.9333): 0.90 right, 0.92 wrong -> accuracy 0.5, mean 0.91, gap 0.41, weight 2/4
        // bin 4 (0.2667-0.3333): 0.30 wrong -> gap 0.30, weight 1/4
        // bin 14 (0.9333-1]: 1.00 right -> gap 0, weight 1/4
        var curve = new CalibrationCurve();
        curve.Add(0.90, correct: true);
        curve.Add(0.92, correct: false);
        curve.Add(0.30, correct: false);
        curve.Add(1.00, correct: true);

        Assert.Equal(4, curve.Total);
        Assert.Equal(0.5 * 0.41 + 0.25 * 0.30 + 0.25 * 0, curve.ExpectedCalibrationError, 12);
        var bins = curve.Bins();
        Assert.Equal(15, bins.Count);
        Assert.Equal([4, 13, 14], bins.Select((b, i) => (b, i)).Where(x => x.b.Count > 0).Select(x => x.i));
        Assert.Equal(0.91, bins[13].MeanConfidence, 12);
        Assert.Equal(0.5, bins[13].Accuracy, 12);
        Assert.Equal(13.0 / 15, bins[13].Lower, 12);
        Assert.Equal(14.0 / 15, bins[13].Upper, 12);
    }

    [Fact]
    public void A_perfectly_calibrated_bin_has_no_error_and_an_empty_curve_is_zero()
    {
        var curve = new CalibrationCurve();
        Assert.Equal(0, curve.ExpectedCalibrationError);
        // ten predictions at 0.7, seven of them right
        for (var i = 0; i < 10; i++)
            curve.Add(0.7, correct: i < 7);
        Assert.Equal(0, curve.ExpectedCalibrationError, 12);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0 / 15 - 1e-9, 0)]
    [InlineData(1.0 / 15, 1)]
    [InlineData(0.5, 7)]
    [InlineData(0.99999, 14)]
    [InlineData(1.0, 14)]   // an exact 1 joins the top bin
    [InlineData(1.5, 14)]   // clamped, never out of range
    [InlineData(-0.1, 0)]
    public void Bin_edges_are_lower_inclusive(double confidence, int expectedBin) =>
        Assert.Equal(expectedBin, new CalibrationCurve().BinOf(confidence));

    [Fact]
    public void Grouped_bins_give_the_same_curve_as_single_predictions()
    {
        var single = new CalibrationCurve();
        var grouped = new CalibrationCurve();
        var random = new Random(7);
        var sums = new (long Count, long Correct, double Sum)[15];
        for (var i = 0; i < 500; i++)
        {
            var confidence = random.NextDouble();
            var correct = random.NextDouble() < confidence;
            single.Add(confidence, correct);
            var bin = single.BinOf(confidence);
            sums[bin] = (sums[bin].Count + 1, sums[bin].Correct + (correct ? 1 : 0), sums[bin].Sum + confidence);
        }
        for (var b = 0; b < 15; b++)
            grouped.AddBin(b, sums[b].Count, sums[b].Correct, sums[b].Sum);

        Assert.Equal(single.ExpectedCalibrationError, grouped.ExpectedCalibrationError, 12);
        Assert.Equal(single.Bins(), grouped.Bins());
    }

    [Fact]
    public void Impossible_bin_sums_are_refused()
    {
        var curve = new CalibrationCurve();
        Assert.Throws<ArgumentOutOfRangeException>(() => curve.AddBin(3, count: 2, correct: 3, confidenceSum: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => curve.AddBin(3, count: -1, correct: 0, confidenceSum: 0));
    }
}
