using Fer.Pipeline.Ingestion;
using Fer.ImageSources;

namespace Fer.Tests.Security;

/// <summary>The names a caller gives for a container and a dataset folder, checked before blob storage or SQL.</summary>
public sealed class DatasetNamesTests
{
    [Theory]
    [InlineData("fer-images")]
    [InlineData("abc")]
    [InlineData("a1-b2-c3")]
    public void Valid_container_names_pass(string container) => Assert.Null(DatasetNames.ContainerProblem(container));

    [Theory]
    [InlineData("ab", "3-63")]
    [InlineData("Fer-Images", "lower-case")]
    [InlineData("fer_images", "lower-case")]
    [InlineData("-fer", "start and end")]
    [InlineData("fer--images", "double hyphen")]
    [InlineData("../etc", "lower-case")]
    public void Invalid_container_names_say_why(string container, string reason) =>
        Assert.Contains(reason, DatasetNames.ContainerProblem(container));

    [Theory]
    [InlineData("faces-2026-11")]
    [InlineData("party photos ü 😀")]
    [InlineData("a..b")]
    [InlineData("nested/folder")]
    public void Valid_folder_names_pass(string folder) => Assert.Null(DatasetNames.FolderProblem(folder));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("\\\\server\\share", "absolute")]
    [InlineData("C:\\windows", "absolute")]
    [InlineData("..", "'..'")]
    [InlineData("a/../../b", "'..'")]
    [InlineData("a\\..\\b", "'..'")]
    [InlineData("./a", "'..'")]
    [InlineData("bad\u0001name", "control character (U+0001)")]
    [InlineData("line\nbreak", "control character (U+000A)")]
    public void Invalid_folder_names_say_why(string folder, string reason) =>
        Assert.Contains(reason, DatasetNames.FolderProblem(folder));

    [Fact]
    public void Overlong_folder_names_are_refused() =>
        Assert.Contains("longer than", DatasetNames.FolderProblem(new string('a', DatasetNames.MaxFolderLength + 1)));

    [Fact]
    public void The_pair_reports_the_container_first() =>
        Assert.Contains("container", DatasetNames.Problem("BAD", "..")!);
}
