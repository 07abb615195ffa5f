using System.Text.RegularExpressions;

namespace Fer.Tests.Cli;

/// <summary>
/// The README's sample outputs come from the code as it is: each block marked <c>&lt;!-- readme-sample: fer ARGS --&gt;</c>
/// is compared with a real run of <c>fer ARGS</c> (from the repo root, on a scratch database): every line of the block
/// must appear in the output. A changed model, table or message makes this fail until the README is regenerated.
/// </summary>
public sealed partial class ReadmeSamplesTests : IDisposable
{
    private readonly TempDirectory _work = new();

    private static List<string> CommandLines() =>
        SampleBlock().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"))).Select(m => m.Groups["args"].Value).ToList();

    public static TheoryData<string> Samples() => new(CommandLines());

    [Fact]
    public void The_readme_has_the_samples_this_test_checks()
    {
        var samples = CommandLines();
        Assert.Contains("fer run samples", samples);
        Assert.Contains(samples, s => s.StartsWith("fer classify ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Each_readme_sample_is_what_fer_prints(string commandLine)
    {
        var block = SampleBlock().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")))
            .Single(m => m.Groups["args"].Value == commandLine).Groups["body"].Value;
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(a => a.StartsWith("samples", StringComparison.Ordinal) ? Path.Combine(RepoPaths.Root, a) : a).ToList();
        if (args[0] == "run")
            args.AddRange(["--db", Path.Combine(_work.Path, "readme.db")]);

        var result = await CliRunner.RunAsync([.. args]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        // Paths are the only thing that differs between machines: the README shows them relative to the repo root.
        // Colour codes, where the console claims ANSI support, are not part of the text either.
        var output = CliText.WithoutAnsi(result.Output).Replace(RepoPaths.Root + Path.DirectorySeparatorChar, "").Split('\n').Select(l => l.TrimEnd()).ToHashSet();
        var missing = block.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !output.Contains(l)).ToList();
        Assert.True(missing.Count == 0, $"README lines not in the output of `{commandLine}`:\n{string.Join('\n', missing)}\n--- output:\n{result.Output}");
    }

    [GeneratedRegex(@"<!-- readme-sample: (?<args>[^\n]+?) -->\n```text\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex SampleBlock();

    public void Dispose() => _work.Dispose();
}
