using Fer.Cli.Output;

namespace Fer.Tests.Cli;

public sealed class CountedTests
{
    [Theory]
    [InlineData(0, "image", null, "0 images")]
    [InlineData(1, "image", null, "1 image")]
    [InlineData(2, "image", null, "2 images")]
    [InlineData(1, "entry", "entries", "1 entry")]
    [InlineData(3, "entry", "entries", "3 entries")]
    public void Puts_the_noun_in_the_number_of_the_count(int count, string singular, string? plural, string expected) =>
        Assert.Equal(expected, Counted.Of(count, singular, plural));
}
