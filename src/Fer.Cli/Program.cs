using Fer.Cli.Commands;

namespace Fer.Cli;

public static class Program
{
    /// <summary>Every verb of <c>fer</c>; adding one is one line here plus its file under Commands/.</summary>
    public static RootCommand BuildRootCommand() => new("FerBatch: facial emotion recognition in batch")
    {
        RunCommand.Create(),
        EvalCommand.Create(),
        ClassifyCommand.Create(),
        SubmitCommand.Create(),
        DbCommand.Create(),
        ReportCommand.Create(),
        ExportCommand.Create(),
    };

    // Signals are left to the verbs: `run` stops cleanly on the first Ctrl-C/SIGTERM/SIGHUP (StopSignals); the short
    // verbs end at once, as any command-line tool does.
    public static Task<int> Main(string[] args) =>
        BuildRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
