using System.Diagnostics;
using Fer.ImageSources;

namespace Fer.Tests.Embedded;

/// <summary>
/// The count `fer run` takes for its progress total finds what the listing lists, by the same rules (hidden names,
/// markers, non-images, special files, links not followed, one name per inode).
/// </summary>
public sealed class FolderCountTests : TempDirectoryTest
{
    [Fact]
    public async Task The_count_matches_the_listing_of_a_folder_with_entries_that_are_not_listed()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "mixed")).FullName;
        var face = TestImages.EncodeGray(Fer2013Csv.SliceRows(1)[0].Pixels, 48, 48);
        foreach (var name in new[] { "happy/a.png", "happy/b.png", "sad/deeper/c.png", ".hidden.png", "_READY", "notes.txt" })
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, face);
        }
        File.CreateSymbolicLink(Path.Combine(folder, "link.png"), Path.Combine(folder, "happy/a.png"));
        await ShAsync(folder, "ln happy/a.png sad/same-as-a.png && mkfifo pipe.png");

        var dataset = LocalFolderImageSource.DatasetName(folder);
        var count = await LocalFolderImageSource.CountImagesAsync(dataset, new LocalFolderOptions(), CancellationToken.None);

        var source = new LocalFolderImageSource();
        var listed = 0;
        await foreach (var page in source.ListImagesAsync(LocalFolderImageSource.Container, dataset, 2, CancellationToken.None))
            listed += page.Count;
        Assert.Equal(3, listed); // a, b, c: the hard link is a.png again, the rest are not images or not listed
        Assert.Equal(listed, count);
    }

    [Fact]
    public async Task Photos_in_formats_that_cannot_be_decoded_are_reported_as_such_not_as_non_images()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "phone")).FullName;
        var face = TestImages.EncodeGray(Fer2013Csv.SliceRows(1)[0].Pixels, 48, 48);
        await File.WriteAllBytesAsync(Path.Combine(folder, "IMG_0001.jpg"), face);
        foreach (var name in new[] { "IMG_0002.HEIC", "IMG_0003.heif", "scan.tiff", "DSC_0004.NEF", "notes.txt" })
            await File.WriteAllTextAsync(Path.Combine(folder, name), "not decoded");

        var dataset = LocalFolderImageSource.DatasetName(folder);
        var source = new LocalFolderImageSource();
        var listed = new List<string>();
        await foreach (var page in source.ListImagesAsync(LocalFolderImageSource.Container, dataset, 10, CancellationToken.None))
            listed.AddRange(page.Select(i => i.Name));

        Assert.Equal([$"{dataset}/IMG_0001.jpg"], listed);
        var report = source.ListingReport(dataset)!;
        Assert.Equal(4, report.CountOf(SkipReasons.UndecodablePhotoFormat));
        Assert.Equal(1, report.CountOf(SkipReasons.NotAnImage));
        Assert.Contains(report.ExamplesOf(SkipReasons.UndecodablePhotoFormat), e => e.Path == "IMG_0002.HEIC");
    }

    private static async Task ShAsync(string folder, string script)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]) { WorkingDirectory = folder })!;
        await shell.WaitForExitAsync();
        Assert.Equal(0, shell.ExitCode);
    }
}
