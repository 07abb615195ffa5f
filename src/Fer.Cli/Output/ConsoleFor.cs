namespace Fer.Cli.Output;

/// <summary>A Spectre console over the writer System.CommandLine hands a verb, so tests can capture tables.</summary>
public static class ConsoleFor
{
    /// <summary>Width given to output that is not a terminal: a pipe or a file has no width, so lines are never wrapped.</summary>
    public const int UnwrappedWidth = 4096;

    public static IAnsiConsole Writer(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        // Spectre assumes 80 columns when it cannot ask a terminal; that would split a long path or summary line
        // in the middle for `fer run ... | tee log` or a test's captured output.
        if (!console.Profile.Capabilities.Interactive || writer != Console.Out || Console.IsOutputRedirected)
            console.Profile.Width = UnwrappedWidth;
        return console;
    }
}
