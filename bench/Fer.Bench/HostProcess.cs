using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fer.Bench;

/// <summary>
/// A Release-built host (Fer.Worker or Fer.Ingest dll) started as its own process with its settings in environment
/// variables, as it would be deployed; its output goes to a log file. Knows its peak resident memory (VmHWM).
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private long _peakRssKb;
    private bool _disposed;

    private HostProcess(Process process, string name, Uri address, string logPath)
    {
        _process = process;
        Name = name;
        Address = address;
        LogPath = logPath;
    }

    public string Name { get; }
    public Uri Address { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;

    public static HostProcess Start(string dll, string name, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logDirectory)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} not built: run `dotnet build -c Release` on the host project (bench/run.sh does)", dll);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, $"{name}.log");
        // exec keeps the dotnet process's pid, so /proc/<pid>/status is the host's own memory.
        var start = new ProcessStartInfo("/bin/bash", ["-c", $"exec dotnet \"{dll}\" > \"{logPath}\" 2>&1"])
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
        return new HostProcess(process, name, address, logPath);
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
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} not ready after {timeout.TotalSeconds:0} s; see {LogPath}:\n{Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Peak resident set size so far, in MiB (VmHWM of /proc/&lt;pid&gt;/status).</summary>
    public double PeakRssMiB()
    {
        if (_disposed)
            return _peakRssKb / 1024.0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    _peakRssKb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
        }
        catch (IOException)
        {
            // exited: keep the last reading
        }
        return _peakRssKb / 1024.0;
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

    /// <summary>SIGTERM (graceful host shutdown), then SIGKILL if it has not ended within 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        PeakRssMiB();
        if (!_process.HasExited)
        {
            Terminate(_process.Id);
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Terminate(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString()]);
        kill.WaitForExit();
    }
}
