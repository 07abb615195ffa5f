using System.Globalization;

namespace Fer.Reporting.Rendering.Html;

/// <summary>Formatting shared by the report components: SVG coordinates and colours, always culture-invariant.</summary>
internal static class ReportMarkup
{
    /// <summary>An SVG coordinate with at most two decimals ("12.5", not "12.50" or "12,5").</summary>
    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>White to deep blue, linear in the row share.</summary>
    public static string HeatColour(double share)
    {
        share = Math.Clamp(share, 0, 1);
        int Mix(int from, int to) => (int)Math.Round(from + (to - from) * share);
        return $"#{Mix(0xf4, 0x08):x2}{Mix(0xf7, 0x30):x2}{Mix(0xfb, 0x6b):x2}";
    }

    public static string DeltaClass(double delta) => Math.Abs(delta) < 0.0005 ? "flat" : delta > 0 ? "up" : "down";

    /// <summary>Thumbnails are our own PNGs; anything else (say, from an edited JSON) is dropped rather than trusted.</summary>
    public static bool IsPngDataUri(string uri) =>
        uri.StartsWith(ThumbnailEncoder.DataUriPrefix, StringComparison.Ordinal)
        && uri.AsSpan(ThumbnailEncoder.DataUriPrefix.Length).IndexOfAnyExcept(Base64Chars) < 0;

    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
}
