using Microsoft.Extensions.Hosting;

namespace Fer.Pipeline.Embedded;

/// <summary>
/// A host lifetime that listens to no signal: the embedded run's caller decides when to stop (its cancellation token),
/// where the default console lifetime would catch Ctrl-C and SIGTERM, stop the host under the run and let it go on.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
