using System.Diagnostics;
using Fer.Pipeline.Embedded;

namespace Fer.Bench;

/// <summary>`fer run` on a local folder: the same <see cref="EmbeddedRunner"/> the CLI calls, into a fresh SQLite file.</summary>
public static class EmbeddedBench
{
    public sealed record Row(int Images, int Scored, int Failed, double Seconds, double ImagesPerSecond);

    public static async Task<Row> RunAsync(string folder, string workDirectory, string modelPath)
    {
        var database = Path.Combine(workDirectory, $"embedded-{Guid.NewGuid():N}.db");
        try
        {
            var watch = Stopwatch.StartNew();
            var summary = await EmbeddedRunner.RunAsync(new EmbeddedRunOptions(folder, database) { ModelPath = modelPath }, null, CancellationToken.None);
            var seconds = watch.Elapsed.TotalSeconds;
            if (summary.Pending != 0)
                throw new InvalidOperationException($"embedded run ended with {summary.Pending} images pending");
            return new Row(summary.Total, summary.Scored, summary.Failed, seconds, summary.Total / seconds);
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(workDirectory, Path.GetFileName(database) + "*"))
                File.Delete(file);
        }
    }
}
