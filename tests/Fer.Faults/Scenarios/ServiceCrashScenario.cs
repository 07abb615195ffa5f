using System.Diagnostics;

namespace Fer.Faults.Scenarios;

/// <summary>
/// RabbitMQ or PostgreSQL killed with SIGKILL (no clean shutdown: RabbitMQ recovers its message store, PostgreSQL
/// replays its WAL) while the hosts are scoring, then started again.
/// </summary>
public sealed class ServiceCrashScenario(string service, string fault, TimeSpan downFor) : FaultScenario($"{service}-sigkill", fault)
{
    public override Task<FaultRow> RunAsync(FaultContext context) => FaultDuringScoringAsync(context, async _ =>
    {
        var watch = Stopwatch.StartNew();
        await context.Services.KillAsync(service);
        await Task.Delay(downFor);
        await context.Services.StartAsync(service);
        return $"{service} SIGKILLed, down for {watch.Elapsed.TotalSeconds:0} s ({downFor.TotalSeconds:0} s pause, start{(service == "postgres" ? ", crash recovery" : "")})";
    });
}
