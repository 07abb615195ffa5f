namespace Fer.ServiceDefaults.Health;

/// <summary>Tags that decide which health endpoint runs a check.</summary>
public static class HealthTags
{
    /// <summary>Checks run by <c>/healthz</c>; keep them free of external dependencies.</summary>
    public const string Live = "live";

    /// <summary>Informational tag for dependency checks; <c>/readyz</c> runs every check regardless.</summary>
    public const string Ready = "ready";
}
