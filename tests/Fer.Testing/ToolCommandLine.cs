using System.CommandLine;

namespace Fer.Testing;

/// <summary>How the tools (benchmark, fault suite) read their command line.</summary>
public static class ToolCommandLine
{
    /// <summary>
    /// Parses <paramref name="args"/>; on --help or a bad argument prints what System.CommandLine prints, sets
    /// <paramref name="exitCode"/> and returns null (the tool then runs nothing).
    /// </summary>
    public static ParseResult? ParseToRun(this RootCommand command, string[] args, out int exitCode)
    {
        var parsed = command.Parse(args);
        exitCode = 0;
        if (parsed.Errors.Count == 0 && parsed.Action is null)
            return parsed;
        exitCode = parsed.Invoke();
        return null;
    }
}
