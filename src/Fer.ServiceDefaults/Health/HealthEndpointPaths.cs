namespace Fer.ServiceDefaults.Health;

/// <summary>Paths of the operational endpoints mapped by <c>MapDefaultEndpoints</c>.</summary>
public static class HealthEndpointPaths
{
    public const string Liveness = "/healthz";
    public const string Readiness = "/readyz";
    public const string Metrics = "/metrics";

    /// <summary>True for the operational endpoints, which are kept out of request traces.</summary>
    public static bool IsOperational(string? path) =>
        path is not null &&
        (path.Equals(Liveness, StringComparison.OrdinalIgnoreCase) ||
         path.Equals(Readiness, StringComparison.OrdinalIgnoreCase) ||
         path.Equals(Metrics, StringComparison.OrdinalIgnoreCase));
}
