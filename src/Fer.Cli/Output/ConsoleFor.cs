using Spectre.Console;

namespace Fer.Cli.Output;

/// <summary>A Spectre console over the writer System.CommandLine hands a verb, so tests can capture tables.</summary>
public static class ConsoleFor
{
    public static IAnsiConsole Writer(TextWriter writer) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
}
