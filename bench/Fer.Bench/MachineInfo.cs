using System.Diagnostics;

namespace Fer.Bench;

/// <summary>Where the numbers were taken: CPU, cores, memory, load, and what else was using the CPU.</summary>
public sealed record MachineInfo(string CpuModel, string CpuFeatures, int Cores, double MemoryGiB, string LoadAverage, string LoadBeforePause,
    IReadOnlyList<string> TopProcesses, string Runtime, string OnnxRuntime)
{
    /// <summary>
    /// The instruction sets that change the figures several-fold (int8 runs ~4x faster with VNNI than on AVX2 alone;
    /// bf16 training needs avx512_bf16), since "AMD EPYC" names VMs with and without them.
    /// </summary>
    private static readonly string[] FiguresChangingFlags = ["avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8", "amx_bf16"];

    public static MachineInfo Read()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown";
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags"))?.Split(':', 2)[1]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? [];
        var features = string.Join(' ', FiguresChangingFlags.Where(flags.Contains));
        var memKb = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:"))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var ort = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString() ?? "?";
        return new MachineInfo(cpu, features.Length == 0 ? "none of " + string.Join(' ', FiguresChangingFlags) : features, Environment.ProcessorCount, memKb is null ? 0 : Math.Round(long.Parse(memKb) / 1048576.0, 1),
            File.ReadAllText("/proc/loadavg").Trim(),
            Environment.GetEnvironmentVariable("FER_BENCH_LOAD_BEFORE") ?? "",
            TopByCpu(), System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, ort);
    }

    // ps is the simplest honest view of "what else was running" (state T = stopped, e.g. the paused training job).
    private static List<string> TopByCpu()
    {
        try
        {
            using var ps = Process.Start(new ProcessStartInfo("ps", ["-eo", "pid,stat,pcpu,rss,comm,args", "--sort=-pcpu"])
            {
                RedirectStandardOutput = true,
            })!;
            var lines = ps.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            ps.WaitForExit();
            return lines.Skip(1).Take(8).Select(l => l.Length > 140 ? l[..140] : l).ToList();
        }
        catch (Exception ex)
        {
            return [$"ps failed: {ex.Message}"];
        }
    }
}
