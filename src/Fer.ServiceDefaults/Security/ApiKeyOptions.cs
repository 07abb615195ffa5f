namespace Fer.ServiceDefaults.Security;

/// <summary>The shared API key, bound from the <c>Fer</c> section (<c>Fer:ApiKey</c>, env <c>Fer__ApiKey</c>).</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Fer";
    public const string HeaderName = "X-Api-Key";

    /// <summary>When empty, every request is allowed and a warning is logged at startup.</summary>
    public string? ApiKey { get; set; }
}
