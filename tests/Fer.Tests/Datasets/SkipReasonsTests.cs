using Fer.ImageSources;

namespace Fer.Tests.Datasets;

/// <summary>Why a listing leaves a name out, by the name alone (blob storage has nothing else), and how a message counts them.</summary>
public sealed class SkipReasonsTests
{
    [Theory]
    [InlineData("set/happy/a.png", null)]
    [InlineData("set/IMG_0001.JPG", null)]
    [InlineData("set/IMG_0001.HEIC", SkipReasons.UndecodablePhotoFormat)]
    [InlineData("set/scan.tiff", SkipReasons.UndecodablePhotoFormat)]
    [InlineData("set/raw/DSC_0001.nef", SkipReasons.UndecodablePhotoFormat)]
    [InlineData("set/notes.txt", SkipReasons.NotAnImage)]
    [InlineData("set/no-extension", SkipReasons.NotAnImage)]
    [InlineData("set/_READY", SkipReasons.Hidden)]
    [InlineData("set/.fer-crops", SkipReasons.Hidden)]
    [InlineData("set/._IMG_0001.JPG", SkipReasons.Hidden)]
    public void A_name_is_an_image_or_has_one_reason(string name, string? reason) =>
        Assert.Equal(reason, ImageFileNames.SkipReasonOf(name));

    [Theory]
    [InlineData("set/_READY", true)]
    [InlineData("set/deeper/.fer-crops", true)]
    [InlineData(".fer-crops", true)]
    [InlineData("set/.DS_Store", false)]
    [InlineData("set/_READY.png", false)]
    [InlineData("set/_ready", false)]
    public void Only_the_two_marker_names_are_markers(string name, bool marker) =>
        Assert.Equal(marker, ImageFileNames.IsDatasetMarker(name));

    [Fact]
    public void The_summary_counts_every_entry_most_frequent_reason_first()
    {
        var counts = new Dictionary<string, int> { [SkipReasons.NotAnImage] = 1, [SkipReasons.UndecodablePhotoFormat] = 2, [SkipReasons.Hidden] = 1 };
        Assert.Equal($"4 other entries were skipped: 2 x {SkipReasons.UndecodablePhotoFormat}, 1 x {SkipReasons.Hidden}, 1 x {SkipReasons.NotAnImage}",
            SkipReasons.Summarize(counts));
        Assert.Equal($"1 other entry was skipped: 1 x {SkipReasons.NotAnImage}", SkipReasons.Summarize(new Dictionary<string, int> { [SkipReasons.NotAnImage] = 1 }));
        Assert.Null(SkipReasons.Summarize(new Dictionary<string, int>()));
    }
}
