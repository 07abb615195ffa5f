using System.Collections.Concurrent;

namespace Fer.Tests.Embedded;

/// <summary>
/// `fer run` on a folder larger than its queue: the listing runs only as far ahead of the model as the queue holds,
/// so progress comes while the folder is still listed, with the folder's count as its total from early on (not the
/// files listed so far), never more done than known, and ends with every image done.
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
        Assert.All(all, r => Assert.InRange(r.Done, 0, r.Total));
        // Counted long before the listing is through: the whole folder is the total while most of it is still to do.
        Assert.Contains(all, r => r is { StillListing: false, Total: Images, Done: < Images / 2 });
        var growing = all.Where(r => r.StillListing).ToList();
        Assert.All(growing, r => Assert.InRange(r.Total, 1, Images));
        Assert.Equal(growing.Select(r => r.Total).Order(), growing.Select(r => r.Total)); // a total not counted yet only grows
        Assert.Equal(all.Select(r => r.Done).Order(), all.Select(r => r.Done)); // done never goes back
        Assert.Equal(new EmbeddedRunProgress(Images, Images), all[^1]);
    }

    /// <summary>Records on the reporting thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<EmbeddedRunProgress> report) : IProgress<EmbeddedRunProgress>
    {
        public void Report(EmbeddedRunProgress value) => report(value);
    }
}
