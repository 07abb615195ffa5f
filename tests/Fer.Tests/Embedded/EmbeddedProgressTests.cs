using System.Collections.Concurrent;

namespace Fer.Tests.Embedded;

/// <summary>
/// `fer run` on a folder larger than its queue: the listing runs only as far ahead of the model as the queue holds,
/// so progress comes while the folder is still listed (a growing total, marked as such), never more done than known,
/// and ends with every image done.
/// </summary>
public sealed class EmbeddedProgressTests : TempDirectoryTest
{
    private const int Images = 4000;

    [Fact]
    public async Task Progress_is_reported_while_the_folder_is_still_listed_and_ends_complete()
    {
        var folder = Path.Combine(_temp.Path, "many");
        var face = TestImages.EncodeGray(Fer2013Csv.SliceRows(1)[0].Pixels, 48, 48);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < Images; i++)
            await File.WriteAllBytesAsync(Path.Combine(folder, $"{i:D5}.png"), face);

        var reports = new ConcurrentQueue<EmbeddedRunProgress>();
        var summary = await EmbeddedRunner.RunAsync(new EmbeddedRunOptions(folder, Path.Combine(_temp.Path, "results.db")) { ModelPath = RepoPaths.ShippedModel },
            new SynchronousProgress(reports.Enqueue), CancellationToken.None);

        Assert.Equal(Images, summary.Scored);
        var all = reports.ToList();
        var whileListing = all.Where(r => r.StillListing).ToList();
        Assert.NotEmpty(whileListing);
        Assert.All(all, r => Assert.InRange(r.Done, 0, r.Total));
        Assert.All(whileListing, r => Assert.InRange(r.Total, 1, Images));
        Assert.Equal(whileListing.Select(r => r.Total).Order(), whileListing.Select(r => r.Total)); // the known total only grows
        Assert.Equal(new EmbeddedRunProgress(Images, Images), all[^1]);
    }

    /// <summary>Records on the reporting thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<EmbeddedRunProgress> report) : IProgress<EmbeddedRunProgress>
    {
        public void Report(EmbeddedRunProgress value) => report(value);
    }
}
