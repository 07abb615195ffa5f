namespace Fer.IntegrationTests.Telemetry;

/// <summary>
/// The in-memory exporter hears every ActivitySource in the test process, and image ids repeat across the
/// per-class databases: these tests run alone so that no other pipeline's spans mix into theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (runs alone)";
}
