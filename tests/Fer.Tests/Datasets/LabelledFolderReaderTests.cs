using Fer.Core.Evaluation;

namespace Fer.Tests.Datasets;

public class LabelledFolderReaderTests : TempDirectoryTest
{
    [Fact]
    public void Labels_come_from_folder_names_synonyms_and_digits()
    {
        _temp.Touch("Happy/a.png", "sadness/b.JPG", "3/c.bmp", "scared/nested/d.webp", "neutral/e.jpeg", "neutral/f.gif");

        var folder = LabelledFolderReader.Read(_temp.Path);

        var labels = folder.Images.ToDictionary(i => Path.GetFileName(i.Path), i => i.Label);
        Assert.Equal(Emotion.Happy, labels["a.png"]);
        Assert.Equal(Emotion.Sad, labels["b.JPG"]);
        Assert.Equal(Emotion.Happy, labels["c.bmp"]);
        Assert.Equal(Emotion.Fear, labels["d.webp"]);
        Assert.Equal(Emotion.Neutral, labels["e.jpeg"]);
        Assert.Equal(Emotion.Neutral, labels["f.gif"]);
        Assert.Empty(folder.IgnoredFiles);
    }

    [Fact]
    public void Non_image_files_and_unlabelled_files_are_ignored_and_counted()
    {
        _temp.Touch("happy/a.png", "happy/notes.txt", "happy/.DS_Store", "loose.png");

        var folder = LabelledFolderReader.Read(_temp.Path);

        Assert.Single(folder.Images);
        Assert.Equal(["loose.png", "notes.txt"], folder.IgnoredFiles.Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Unknown_label_folder_is_an_error_naming_the_path()
    {
        _temp.Touch("happy/a.png", "bored/b.png");
        var ex = Assert.Throws<DatasetFormatException>(() => LabelledFolderReader.Read(_temp.Path));
        Assert.Contains(Path.Combine(_temp.Path, "bored"), ex.Message);
        Assert.Contains("unknown label folder 'bored'", ex.Message);
    }

    [Fact]
    public void A_folder_with_no_image_and_no_label_name_is_skipped_and_listed()
    {
        _temp.File("happy/a.png", "x");
        _temp.File("ReportExample/Program.cs", "class P {}");
        var folder = LabelledFolderReader.Read(_temp.Path);
        Assert.Single(folder.Images);
        Assert.Equal(["ReportExample"], folder.SkippedFolders);
        Assert.Equal(["Program.cs"], folder.IgnoredFiles.Select(Path.GetFileName));
    }

    [Fact]
    public void Symbolic_links_are_not_followed_and_are_listed_as_ignored()
    {
        var root = Path.Combine(_temp.Path, "data");
        _temp.File("data/happy/a.png", "x");
        _temp.File("outside/b.png", "x");
        Directory.CreateSymbolicLink(Path.Combine(root, "happy", "up"), root); // a cycle: followed, the walk never ends
        File.CreateSymbolicLink(Path.Combine(root, "happy", "link.png"), Path.Combine(_temp.Path, "outside", "b.png"));
        Directory.CreateSymbolicLink(Path.Combine(root, "sad"), Path.Combine(_temp.Path, "outside"));

        var folder = LabelledFolderReader.Read(root);

        Assert.Equal([Path.Combine(root, "happy", "a.png")], folder.Images.Select(i => i.Path));
        Assert.Equal(["link.png", "sad", "up"], folder.IgnoredFiles.Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_fifo_named_like_an_image_is_refused_when_read_instead_of_blocking()
    {
        _temp.File("happy/a.png", "x");
        var fifo = Path.Combine(_temp.Path, "happy", "pipe.png");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
            await mkfifo.WaitForExitAsync();

        var image = LabelledFolderReader.Read(_temp.Path).Images.Single(i => i.Path == fifo);
        // On a thread of its own with a time limit: the old read blocked for ever, waiting for a writer.
        var refused = await Task.Run(() => Assert.Throws<InvalidImageException>(() => ImageFileFace.From(image).LoadInto(new float[48 * 48])))
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("not a regular file (NamedPipe): never read", refused.Reason);
    }

    [Fact]
    public void Missing_root_is_an_error()
    {
        var root = Path.Combine(_temp.Path, "absent");
        var ex = Assert.Throws<DatasetFormatException>(() => LabelledFolderReader.Read(root));
        Assert.Contains(root, ex.Message);
    }
}
