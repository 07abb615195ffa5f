using Microsoft.ML.OnnxRuntime;

namespace Fer.Inference;

/// <summary>
/// Keeps an <see cref="InferenceSession"/> alive while a run uses it. A host that stops (Ctrl-C) disposes its services
/// while an abandoned batch may still be inside <c>Run</c> on another thread; freeing the native session under it is a
/// use-after-free (garbage errors on stderr, or a crash at exit). Dispose refuses new runs, waits for those in flight
/// (a batch is well under a second; terminating them instead would log an error per run), and only then frees the
/// session; one that does not end in time leaves the session to the process exit.
/// </summary>
public sealed class SessionRunGuard(InferenceSession session) : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly object _lock = new();
    private readonly HashSet<RunOptions> _inFlight = [];
    private bool _disposed;

    /// <summary>Runs <paramref name="run"/> with fresh run options; throws <see cref="ObjectDisposedException"/> once disposal began.</summary>
    public T Run<T>(Func<InferenceSession, RunOptions, T> run)
    {
        var options = new RunOptions();
        lock (_lock)
        {
            if (_disposed)
            {
                options.Dispose();
                throw new ObjectDisposedException(nameof(InferenceSession), "the model is being unloaded (the host is stopping)");
            }
            _inFlight.Add(options);
        }
        try
        {
            return run(session, options);
        }
        finally
        {
            lock (_lock)
            {
                _inFlight.Remove(options);
                Monitor.PulseAll(_lock);
            }
            options.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            var deadline = DateTime.UtcNow + DrainTimeout;
            while (_inFlight.Count > 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return; // still running: never free it under the run
                Monitor.Wait(_lock, left);
            }
        }
        session.Dispose();
    }
}
