using Fer.Pipeline.Embedded;

namespace Fer.Cli.Output;

/// <summary>`fer run` progress as plain lines, for output that is not a terminal: one line per 10 % or per 5 s, whichever comes first.</summary>
public sealed class PlainProgress(TextWriter output) : IProgress<EmbeddedRunProgress>
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private int _lastDecile = -1;
    private DateTime _lastLine = DateTime.MinValue;
    private int _lastDone = -1;

    public void Report(EmbeddedRunProgress value)
    {
        if (value.Total == 0 || value.Done == _lastDone)
            return;
        var decile = value.Done * 10 / value.Total;
        var now = DateTime.UtcNow;
        if (decile == _lastDecile && now - _lastLine < Every && value.Done != value.Total)
            return;
        (_lastDecile, _lastLine, _lastDone) = (decile, now, value.Done);
        output.WriteLine($"Classifying: {value.Done}/{value.Total} ({100.0 * value.Done / value.Total:0}%)");
    }
}
