namespace Fer.Cli.Commands;

/// <summary>
/// Builds a verb whose action runs on the shared guard path (<see cref="GuardedAction"/>), so every verb reports a
/// failure as one <c>error:</c> line with the same <see cref="ExitCodes"/>.
/// </summary>
public static class GuardedCommand
{
    public static Command Create(string name, string description, IEnumerable<Symbol> arguments,
        Func<ParseResult, CancellationToken, Task<int>> action)
    {
        var command = new Command(name, description);
        foreach (var symbol in arguments)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
                case Command subcommand: command.Subcommands.Add(subcommand); break;
                default: throw new ArgumentException($"{symbol.Name}: not an argument, option or command", nameof(arguments));
            }
        }
        command.SetAction((parseResult, cancellationToken) => GuardedAction.RunAsync(parseResult, () => action(parseResult, cancellationToken)));
        return command;
    }

    /// <summary>A verb whose symbols live in an options object, handed back to the action with the parse result.</summary>
    public static Command Create<TOptions>(string name, string description, TOptions options,
        Func<ParseResult, TOptions, CancellationToken, Task<int>> action) where TOptions : IVerbOptions =>
        Create(name, description, options.Symbols, (parseResult, cancellationToken) => action(parseResult, options, cancellationToken));
}
