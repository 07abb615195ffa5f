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

    private static async Task ShAsync(string folder, string script)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]) { WorkingDirectory = folder })!;
        await shell.WaitForExitAsync();
        Assert.Equal(0, shell.ExitCode);
    }
}
