namespace Fer.ServiceDefaults.Telemetry;

/// <summary>
/// Names of the ActivitySources and Meters that FerBatch hosts export. Project code names its own
/// sources and meters <c>FerBatch</c> or <c>FerBatch.&lt;Area&gt;</c> (e.g. <c>FerBatch.Worker</c>) and
/// they are picked up without touching this library.
/// </summary>
public static class TelemetrySourceNames
{
    public const string FerBatch = "FerBatch";
    public const string FerBatchWildcard = FerBatch + ".*";
    public const string MassTransit = "MassTransit";
    public const string Npgsql = "Npgsql";

    /// <summary>Meters whose instruments are exported besides the ASP.NET Core, HttpClient and runtime ones.</summary>
    public static readonly string[] Meters = [FerBatch, FerBatchWildcard, MassTransit, Npgsql];

    /// <summary>ActivitySources traced besides ASP.NET Core, HttpClient and Npgsql (added by its own extension).</summary>
    public static readonly string[] ActivitySources = [FerBatch, FerBatchWildcard, MassTransit];
}
