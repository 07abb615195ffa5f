using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Fer.HostProcesses;

/// <summary>
/// A Release-built host (Fer.Worker or Fer.Ingest dll) run as its own process with its settings in environment
/// variables, as deployed; output goes to a log file. Can be killed hard (SIGKILL) and reports its peak memory (VmHWM).
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private long _peakRssKb;
    private bool _disposed;

    private HostProcess(Process process) => _process = process;

    public required string Name { get; init; }
    public required Uri Address { get; init; }
    public required string LogPath { get; init; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public bool WasKilled { get; private set; }

    /// <summary>The exit code once it has exited; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Whether /readyz answers 200 right now.</summary>
    public async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(Address, "/readyz"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The environment every host of one run shares: its services, its own broker entity prefix, the API key, CPU
    /// inference and warnings only. Callers add what is a host's own (worker id, limits).
    /// </summary>
    public static Dictionary<string, string> SharedEnvironment(string postgres, string rabbitMq, string blob, string entityPrefix, string apiKey) => new()
    {
        ["ConnectionStrings__Postgres"] = postgres,
        ["ConnectionStrings__RabbitMq"] = rabbitMq,
        ["ConnectionStrings__Blob"] = blob,
        ["Fer__Bus__EntityPrefix"] = entityPrefix,
        ["Fer__Model__PreferCuda"] = "false",
        ["Fer__ApiKey"] = apiKey,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <param name="appendToLog">keep what earlier processes of the same name wrote (a restarted host), instead of starting the log afresh</param>
    public static HostProcess Start(string dll, string name, IReadOnlyDictionary<string, string> environment, string workingDirectory,
        string logDirectory, bool appendToLog = false)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} not built: run `dotnet build -c Release` on the host project (bench/run.sh and scripts/faults.sh do)", dll);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, $"{name}.log");
        // exec keeps the dotnet process's pid: a SIGKILL hits the host itself and /proc/<pid>/status is its memory.
        var start = new ProcessStartInfo("/bin/bash", ["-c", $"exec dotnet \"{dll}\" {(appendToLog ? ">>" : ">")} \"{logPath}\" 2>&1"])
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        return new HostProcess(process) { Name = name, Address = address, LogPath = logPath };
    }

    /// <summary>
    /// On an ingest host: POST /datasets/{container}/{folder}/submit with the API key; returns the ingest result's
    /// "published" (throws with the answer when it is not a success).
    /// </summary>
    public async Task<int> SubmitAsync(HttpClient http, string apiKey, string container, string folder)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, $"/datasets/{container}/{folder}/submit"));
        request.Headers.Add("X-Api-Key", apiKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"submit {folder} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("published").GetInt32();
    }

    /// <summary>Waits until /readyz answers 200 (database, storage and bus checks pass).</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}; see {LogPath}:\n{Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // a health check hung past the client timeout
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} not ready after {timeout.TotalSeconds:0} s; see {LogPath}:\n{Tail()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Peak resident set size so far, in MiB (VmHWM of /proc/&lt;pid&gt;/status); the last reading once it exited.</summary>
    public double PeakRssMiB()
    {
        try
        {
            if (!_disposed && !_process.HasExited)
                foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        _peakRssKb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
        }
        catch (IOException)
        {
            // exited between the check and the read
        }
        return _peakRssKb / 1024.0;
    }

    /// <summary>SIGKILL: no shutdown hooks, no acknowledgements, no flushing; what a crash or an OOM kill looks like.</summary>
    public async Task KillHardAsync()
    {
        PeakRssMiB();
        WasKilled = true;
        Signal("KILL");
        await _process.WaitForExitAsync();
    }

    public string Tail(int lines = 20)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>SIGTERM (graceful shutdown), then SIGKILL if it has not ended within 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        PeakRssMiB();
        if (!_process.HasExited)
        {
            Signal("TERM");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
