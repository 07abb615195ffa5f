namespace Fer.Pipeline.Hosting;

/// <summary>Bound from <c>Fer:Bus</c>. The broker address is <c>ConnectionStrings:RabbitMq</c> (amqp://user:pass@host:port/vhost).</summary>
public sealed class BusOptions
{
    public const string Section = "Fer:Bus";

    /// <summary>Prefix for queue and exchange names, so several deployments (or test runs) share one broker without seeing each other's messages.</summary>
    public string? EntityPrefix { get; set; }
}
