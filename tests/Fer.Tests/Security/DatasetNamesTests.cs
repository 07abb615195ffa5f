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
    [InlineData("ab")]
    [InlineData("a123456789b123456789c123456789d123456789e123456789f123456789g123")] // 64 characters
    public void Container_names_outside_3_to_63_characters_are_refused(string container) =>
        Assert.Contains("3-63", DatasetNames.ContainerProblem(container));

    [Theory]
    [InlineData("Fer-Images")]
    [InlineData("fer_images")]
    [InlineData("../etc")]
    public void Container_names_of_other_than_lower_case_letters_digits_and_hyphens_are_refused(string container) =>
        Assert.Contains("lower-case", DatasetNames.ContainerProblem(container));

    [Fact]
    public void A_container_name_starting_with_a_hyphen_is_refused() => Assert.Contains("start and end", DatasetNames.ContainerProblem("-fer"));

    [Fact]
    public void A_container_name_with_a_double_hyphen_is_refused() => Assert.Contains("double hyphen", DatasetNames.ContainerProblem("fer--images"));

    [Theory]
    [InlineData("faces-2026-11")]
    [InlineData("party photos ü 😀")]
    [InlineData("a..b")]
    [InlineData("nested/folder")]
    public void Valid_folder_names_pass(string folder) => Assert.Null(DatasetNames.FolderProblem(folder));

    [Fact]
    public void An_empty_folder_name_is_refused() => Assert.Contains("empty", DatasetNames.FolderProblem(""));

    [Fact]
    public void Overlong_folder_names_are_refused() =>
        Assert.Contains("longer than", DatasetNames.FolderProblem(new string('a', DatasetNames.MaxFolderLength + 1)));

    [Theory]
    [InlineData("bad\u0001name", "control character (U+0001)")]
    [InlineData("line\nbreak", "control character (U+000A)")]
    public void Folder_names_with_a_control_character_are_refused_naming_it(string folder, string reason) =>
        Assert.Contains(reason, DatasetNames.FolderProblem(folder));

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("\\\\server\\share")]
    [InlineData("C:\\windows")]
    public void Absolute_folder_names_are_refused(string folder) => Assert.Contains("absolute", DatasetNames.FolderProblem(folder));

    [Theory]
    [InlineData("..")]
    [InlineData("a/../../b")]
    [InlineData("a\\..\\b")]
    [InlineData("./a")]
    public void Folder_names_with_dot_segments_are_refused(string folder) => Assert.Contains("'..'", DatasetNames.FolderProblem(folder));

    [Fact]
    public void The_pair_reports_the_container_first() =>
        Assert.Contains("container", DatasetNames.Problem("BAD", "..")!);
}
