using System.Globalization;
using Fer.Reporting.Model;

namespace Fer.Reporting.Rendering;

/// <summary>Number formats shared by the renderers, culture-invariant so every report reads the same.</summary>
public static class ReportFormat
{
    public static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A signed change in percentage points, e.g. "+1.5 pp".</summary>
    public static string PointsDelta(double delta) =>
        (delta >= 0 ? "+" : "\u2212") + Math.Abs(delta * 100).ToString("0.0", CultureInfo.InvariantCulture) + " pp";

    public static string Ratio(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"0.3–0.4": the confidence range of a score bin.</summary>
    public static string BinRange(ScoreBin bin) =>
        bin.Lower.ToString("0.0", CultureInfo.InvariantCulture) + "\u2013" + bin.Upper.ToString("0.0", CultureInfo.InvariantCulture);

    public static string ShortSha(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
