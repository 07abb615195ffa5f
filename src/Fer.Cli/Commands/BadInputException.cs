namespace Fer.Cli.Commands;

/// <summary>A verb's own check on its arguments failed; the message is shown to the user as is.</summary>
public sealed class BadInputException(string message) : Exception(message);
