using System.Diagnostics;
using Npgsql;

namespace Fer.Faults.Scenarios;

/// <summary>
/// While a folder is being scored, a worker is started with a missing model file and another with a corrupt one
/// (random bytes named .onnx). Each must exit on its own within seconds with a log line naming the model, never answer
/// /readyz with 200, and score or fail no image; the healthy workers finish the folder.
/// </summary>
public sealed class BrokenModelScenario() : FaultScenario("broken-model", "worker started with a missing / corrupt model")
{
    private static readonly TimeSpan FailFastLimit = TimeSpan.FromSeconds(60);

    public override Task<FaultRow> RunAsync(FaultContext context) => FaultDuringScoringAsync(context, async folder =>
    {
        var stack = context.Stack;
        var corrupt = Path.Combine(stack.LogDirectory, "corrupt-model.onnx");
        Directory.CreateDirectory(stack.LogDirectory);
        await File.WriteAllBytesAsync(corrupt, Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 4096));
        var notes = new List<string>();
        var problems = new List<string>();
        foreach (var (name, path, expectedLog) in new[]
                 {
                     ("worker-missing-model", Path.Combine(stack.LogDirectory, "no-such-model.onnx"), "model file not found"),
                     ("worker-corrupt-model", corrupt, "not a loadable ONNX model"),
                 })
        {
            var watch = Stopwatch.StartNew();
            var worker = stack.StartMisconfiguredWorker(name, new Dictionary<string, string> { ["Fer__Model__Path"] = path });
            var everReady = false;
            while (!worker.HasExited && watch.Elapsed < FailFastLimit)
            {
                everReady |= await worker.IsReadyAsync(stack.Http);
                await Task.Delay(100);
            }
            var log = worker.Tail(200);
            if (!worker.HasExited)
            {
                problems.Add($"{name} still running after {FailFastLimit.TotalSeconds:0} s");
                await worker.KillHardAsync();
            }
            else if (worker.ExitCode == 0)
                problems.Add($"{name} exited with code 0");
            if (everReady)
                problems.Add($"{name} answered /readyz with 200");
            if (!log.Contains("Cannot load the emotion model", StringComparison.Ordinal) || !log.Contains(expectedLog, StringComparison.Ordinal))
                problems.Add($"{name}: no clear log line (expected \"{expectedLog}\"); see {worker.LogPath}");
            notes.Add($"{name} exited with code {worker.ExitCode} after {watch.Elapsed.TotalSeconds:0.0} s, never ready");
        }
        // Neither touched an image: no prediction and no failure row carries their worker id.
        await using var command = stack.Data.CreateCommand("""
            SELECT (SELECT count(*) FROM predictions WHERE worker_id LIKE 'worker-%-model')
                 + (SELECT count(*) FROM image_failures WHERE worker_id LIKE 'worker-%-model')
            """);
        var touched = (long)(await command.ExecuteScalarAsync())!;
        if (touched > 0)
            problems.Add($"{touched} prediction/failure rows were written by the misconfigured workers");
        if (problems.Count > 0)
            throw new InvalidOperationException(string.Join("; ", problems));
        return string.Join("; ", notes) + "; 0 rows written by them";
    });
}
