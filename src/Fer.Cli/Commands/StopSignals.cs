using System.Runtime.InteropServices;

namespace Fer.Cli.Commands;

/// <summary>
/// Ctrl-C, SIGTERM and SIGHUP (a closed terminal) for a long verb: the first one cancels <see cref="Token"/> so the
/// verb can stop cleanly and say how to resume; a second one exits at once with <see cref="ExitCodes.Interrupted"/>.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public StopSignals(TextWriter error)
    {
        _error = error;
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => _stop.Token;

    public bool Stopped => _stop.IsCancellationRequested;

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the runtime's default would end the process in the middle of whatever it was doing.
        context.Cancel = true;
        if (Interlocked.Increment(ref _received) == 1)
        {
            TryWrite("stopping: finishing the batch in hand (press Ctrl-C again to quit at once)");
            _stop.Cancel();
            return;
        }
        TryWrite("quitting at once; run the same command again to resume");
        Environment.Exit(ExitCodes.Interrupted);
    }

    private void TryWrite(string line)
    {
        try
        {
            _error.WriteLine(line);
            _error.Flush();
        }
        catch (IOException)
        {
            // SIGHUP: the terminal that would show it is gone.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _stop.Dispose();
    }
}
