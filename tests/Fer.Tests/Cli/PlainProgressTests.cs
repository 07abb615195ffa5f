using Fer.Cli.Output;

namespace Fer.Tests.Cli;

public class PlainProgressTests
{
    [Fact]
    public void Writes_a_line_per_tenth_and_the_last_one()
    {
        var output = new StringWriter();
        var progress = new PlainProgress(output);
        foreach (var done in new[] { 0, 0, 3, 10, 11, 19, 20, 55, 99, 100 })
            progress.Report(new EmbeddedRunProgress(done, 100));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(["Classifying: 0/100 (0%)", "Classifying: 10/100 (10%)", "Classifying: 20/100 (20%)",
            "Classifying: 55/100 (55%)", "Classifying: 99/100 (99%)", "Classifying: 100/100 (100%)"], lines);
    }

    [Fact]
    public void While_the_folder_is_listed_says_so_instead_of_a_share_of_a_growing_total()
    {
        var output = new StringWriter();
        var progress = new PlainProgress(output);
        progress.Report(new EmbeddedRunProgress(100, 500, StillListing: true));
        progress.Report(new EmbeddedRunProgress(200, 1000, StillListing: true)); // within 5 s of the last line: not repeated
        progress.Report(new EmbeddedRunProgress(1800, 2000));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(["Classifying: 100/500 found so far (still listing the folder)", "Classifying: 1800/2000 (90%)"], lines);
    }
}
