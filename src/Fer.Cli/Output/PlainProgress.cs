using Fer.Pipeline.Embedded;

namespace Fer.Cli.Output;

/// <summary>
/// `fer run` progress as plain lines, for output that is not a terminal: one line per 10 % or per 5 s, whichever comes
/// first; while the folder is still being listed (the total still grows), one line per 5 s.
/// </summary>
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
        var now = DateTime.UtcNow;
        if (value.StillListing)
        {
            // A share of a total that still grows says little: a line every few seconds, with what is known.
            if (now - _lastLine < Every)
                return;
            (_lastLine, _lastDone) = (now, value.Done);
            output.WriteLine($"Classifying: {value.Done}/{value.Total} found so far (still listing the folder)");
            return;
        }
        var decile = value.Done * 10 / value.Total;
        if (decile == _lastDecile && now - _lastLine < Every && value.Done != value.Total)
            return;
        (_lastDecile, _lastLine, _lastDone) = (decile, now, value.Done);
        output.WriteLine($"Classifying: {value.Done}/{value.Total} ({100.0 * value.Done / value.Total:0}%)");
    }
}
