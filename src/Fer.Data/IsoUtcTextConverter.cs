using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fer.Data;

/// <summary>
/// SQLite's time columns: a <see cref="DateTimeOffset"/> as ISO-8601 UTC text with seven fraction digits
/// ("2026-12-04T16:26:21.1234567Z"). Fixed width, so text order is time order; lossless to the tick.
/// </summary>
public sealed class IsoUtcTextConverter() : ValueConverter<DateTimeOffset, string>(v => Format(v), v => Parse(v))
{
    public const string Format8601 = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Format8601, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
