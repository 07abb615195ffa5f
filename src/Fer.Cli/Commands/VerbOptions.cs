namespace Fer.Cli.Commands;

/// <summary>
/// A verb's arguments and options declared once as properties, so the action reads the very objects the command
/// registered; <see cref="Symbols"/> lists them in help order.
/// </summary>
public interface IVerbOptions
{
    IEnumerable<Symbol> Symbols { get; }
}
