namespace Fer.Faults.Scenarios;

/// <summary>One backing service (RabbitMQ, PostgreSQL or Azurite) stopped and started again while the hosts are scoring.</summary>
public sealed class ServiceOutageScenario(string service, string fault, TimeSpan downFor) : FaultScenario($"{service}-outage", fault)
{
    public override Task<FaultRow> RunAsync(FaultContext context) =>
        FaultDuringScoringAsync(context, _ => OutageAsync(context, service, downFor));
}
