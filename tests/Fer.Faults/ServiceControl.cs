using System.Diagnostics;

namespace Fer.Faults;

/// <summary>Stops and starts one local service with scripts/services.sh, the same commands CI uses to bring them up.</summary>
public sealed class ServiceControl(string repoRoot)
{
    public Task StopAsync(string service) => RunAsync("stop", service);

    public Task StartAsync(string service) => RunAsync("start", service);

    /// <summary>SIGKILL (postgres, rabbitmq): a crash, not a shutdown.</summary>
    public Task KillAsync(string service) => RunAsync("kill", service);

    private async Task RunAsync(string verb, string service)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(repoRoot, "scripts", "services.sh"), verb, service])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"services.sh {verb} {service} exited with {process.ExitCode}:\n{await output}{await error}");
        Console.Error.WriteLine($"[faults] services.sh {verb} {service}: done");
    }
}
