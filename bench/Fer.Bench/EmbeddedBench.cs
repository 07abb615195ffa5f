using System.Diagnostics;
using Fer.Pipeline.Embedded;
using Microsoft.Data.Sqlite;

namespace Fer.Bench;

/// <summary>`fer run` on a local folder: the same <see cref="EmbeddedRunner"/> the CLI calls, into a fresh SQLite file.</summary>
public static class EmbeddedBench
{
    public sealed record Row(int Images, int Scored, int Failed, double Seconds, double ImagesPerSecond, double AvgBatchSize, double AvgDecodeMs,
        double AvgBatchInferenceMs, CpuAccounting.Profile Cpu, double AllocatedKiBPerImage);

    public static async Task<Row> RunAsync(string folder, string workDirectory, string modelPath)
    {
        var database = Path.Combine(workDirectory, $"embedded-{Guid.NewGuid():N}.db");
        try
        {
            var cpu = CpuAccounting.Start(_ => null);
            // Everything the run allocates on the managed heap (host start and summary included), per image.
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var summary = await EmbeddedRunner.RunAsync(new EmbeddedRunOptions(folder, database) { ModelPath = modelPath }, null, CancellationToken.None);
            var seconds = watch.Elapsed.TotalSeconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var profile = cpu.Stop();
            if (summary.Pending != 0)
                throw new InvalidOperationException($"embedded run ended with {summary.Pending} images pending");
            var (batch, decode, inference) = BatchStats(database);
            return new Row(summary.Total, summary.Scored, summary.Failed, seconds, summary.Total / seconds, batch, decode, inference, profile,
                allocated / 1024.0 / Math.Max(1, summary.Total));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.EnumerateFiles(workDirectory, Path.GetFileName(database) + "*"))
                File.Delete(file);
        }
    }

    private static (double Batch, double DecodeMs, double InferenceMs) BatchStats(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT avg(batch_size), avg(decode_ms), avg(inference_ms) FROM predictions";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2));
    }
}
