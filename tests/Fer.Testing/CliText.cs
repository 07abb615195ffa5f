using System.Text.RegularExpressions;

namespace Fer.Testing;

/// <summary>CLI output as a reader sees it: without the colour codes a terminal would interpret.</summary>
public static partial class CliText
{
    public static string WithoutAnsi(string text) => AnsiEscape().Replace(text, "");

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
