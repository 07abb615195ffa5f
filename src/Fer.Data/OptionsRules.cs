using Microsoft.Extensions.Options;

namespace Fer.Data;

/// <summary>
/// Settings checked once when a host starts (ValidateOnStart): a zero batch size or page size is refused with the
/// setting's name, instead of being quietly clamped wherever it is used. Here, in the lowest project that has options,
/// so the pipeline's and the reports' settings share one rule.
/// </summary>
public static class OptionsRules
{
    public static OptionsBuilder<T> AtLeast<T>(this OptionsBuilder<T> builder, string section, string setting, Func<T, int> value, int minimum)
        where T : class =>
        builder.Validate(options => value(options) >= minimum, $"{section}:{setting} must be at least {minimum}");
}
