using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fer.Data;

/// <summary>The smallest value an integer setting accepts; checked by <see cref="OptionsRules.AddCheckedOptions{T}"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AtLeastAttribute(int minimum) : Attribute
{
    public int Minimum { get; } = minimum;
}

/// <summary>
/// Settings checked once when a host starts (ValidateOnStart): a zero batch size or page size is refused with the
/// setting's name, instead of being quietly clamped wherever it is used. Here, in the lowest project that has options,
/// so the pipeline's and the reports' settings share one rule.
/// </summary>
public static class OptionsRules
{
    /// <summary>Binds <typeparamref name="T"/> from its section and refuses, at start-up, every <see cref="AtLeastAttribute"/> setting below its minimum.</summary>
    public static IServiceCollection AddCheckedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        var builder = services.AddOptions<T>().Bind(configuration.GetSection(section));
        foreach (var property in typeof(T).GetProperties())
        {
            if (property.GetCustomAttribute<AtLeastAttribute>() is not { Minimum: var minimum })
                continue;
            builder.Validate(options => (int)property.GetValue(options)! >= minimum, $"{section}:{property.Name} must be at least {minimum}");
        }
        builder.ValidateOnStart();
        return services;
    }
}
