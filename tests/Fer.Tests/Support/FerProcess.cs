using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Fer.Tests.Support;

/// <summary>
/// <c>fer</c> as its own process (the fer.dll built beside the tests), for what only a real process shows: signals,
/// exit codes, a SIGKILL in the middle of a write. Output is captured as it comes.
/// </summary>
public sealed class FerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private FerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_error) _error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "fer.dll");

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) return _output.ToString(); } }
    public string Error { get { lock (_error) return _error.ToString(); } }

    public static FerProcess Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return new FerProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet fer.dll"));
    }

    /// <summary>Runs to the end (or the timeout, then kills it) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        if (!await process.WaitForExitAsync(timeout))
        {
            process.KillHard();
            throw new TimeoutException($"fer {string.Join(' ', args)} still running after {timeout.TotalSeconds:0} s:\n{process.Output}\n{process.Error}");
        }
        return (process.ExitCode, process.Output, process.Error);
    }

    public void Signal(PosixSignalNumber signal)
    {
        if (kill(_process.Id, (int)signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            _process.WaitForExit(); // drains the redirected output
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}

/// <summary>Linux signal numbers (x86-64 and arm64 agree on these).</summary>
public enum PosixSignalNumber
{
    SIGHUP = 1,
    SIGINT = 2,
    SIGKILL = 9,
    SIGTERM = 15,
}
