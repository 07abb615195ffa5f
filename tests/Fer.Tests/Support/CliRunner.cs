using System.CommandLine;

namespace Fer.Tests.Support;

/// <summary>Runs <c>fer</c> in-process with captured stdout/stderr, exactly as Program.Main parses and invokes.</summary>
public static class CliRunner
{
    public sealed record CliResult(int ExitCode, string Output, string Error);

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await Fer.Cli.Program.BuildRootCommand().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>fer ARGS</c> and asserts it refused the input: exit code BadInput and exactly one error line.</summary>
    public static async Task AssertBadInputAsync(string expectedError, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.Equal(Fer.Cli.Commands.ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(expectedError, result.Error.Trim());
    }
}
