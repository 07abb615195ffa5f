using System.Globalization;

namespace Fer.Bench;

/// <summary>
/// Where the machine's CPU went during one row: utime + stime of every process from /proc, by role (worker, ingest,
/// azurite, rabbitmq, postgres, the bench process itself, anything else), as shares of cores x wall time. This is the
/// profile that explains a gap to the bare model on a machine that also hosts the storage emulator, broker and database.
/// </summary>
public sealed class CpuAccounting
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux ABI .NET runs on
    private readonly Dictionary<int, (string Role, long Ticks)> _start;
    private readonly Func<int, string?> _knownRole;
    private readonly DateTime _startedAt = DateTime.UtcNow;

    private CpuAccounting(Func<int, string?> knownRole)
    {
        _knownRole = knownRole;
        _start = Read(knownRole);
    }

    public sealed record Share(string Role, double CpuSeconds, double FractionOfMachine);

    public sealed record Profile(double WallSeconds, int Cores, IReadOnlyList<Share> Shares)
    {
        public double CpuSecondsOf(string role) => Shares.Where(s => s.Role == role).Sum(s => s.CpuSeconds);

        public override string ToString() =>
            "CPU of the machine: " + string.Join(", ", Shares.Where(s => s.FractionOfMachine >= 0.005)
                .Select(s => $"{s.Role} {s.FractionOfMachine * 100:0}%")) +
            $", idle {Math.Max(0, 1 - Shares.Sum(s => s.FractionOfMachine)) * 100:0}%";
    }

    /// <param name="knownRole">the role of a pid the caller started (worker, ingest), or null to classify it by its command line</param>
    public static CpuAccounting Start(Func<int, string?> knownRole) => new(knownRole);

    public Profile Stop()
    {
        var wall = (DateTime.UtcNow - _startedAt).TotalSeconds;
        var end = Read(_knownRole);
        var byRole = new Dictionary<string, long>();
        foreach (var (pid, (role, ticks)) in end)
        {
            // A process that started during the row counts from zero; one that ended during it is lost (short-lived only).
            var before = _start.TryGetValue(pid, out var s) && s.Role == role ? s.Ticks : 0;
            byRole[role] = byRole.GetValueOrDefault(role) + Math.Max(0, ticks - before);
        }
        var capacity = wall * Environment.ProcessorCount;
        var shares = byRole.Select(kv => new Share(kv.Key, kv.Value / TicksPerSecond, kv.Value / TicksPerSecond / capacity))
            .OrderByDescending(s => s.CpuSeconds).ToList();
        return new Profile(wall, Environment.ProcessorCount, shares);
    }

    private static Dictionary<int, (string Role, long Ticks)> Read(Func<int, string?> knownRole)
    {
        var self = Environment.ProcessId;
        var result = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var role = pid == self ? "bench" : knownRole(pid) ?? Classify(File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '));
                result[pid] = (role, ticks);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process ended while being read
            }
        }
        return result;
    }

    private static string Classify(string commandLine) => commandLine switch
    {
        _ when commandLine.Contains("azurite", StringComparison.Ordinal) => "azurite",
        _ when commandLine.Contains("beam.smp", StringComparison.Ordinal) || commandLine.Contains("rabbitmq", StringComparison.Ordinal) => "rabbitmq",
        _ when commandLine.StartsWith("postgres", StringComparison.Ordinal) || commandLine.Contains("/postgresql/", StringComparison.Ordinal) => "postgres",
        _ when commandLine.Contains("fer_train", StringComparison.Ordinal) => "training",
        _ => "other",
    };
}
