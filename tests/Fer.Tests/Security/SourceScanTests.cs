using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Fer.Tests.Security;

/// <summary>
/// Scans of the repository itself: no SQL text built from strings at run time in src/, and no credential committed
/// other than the documented local-development ones.
/// </summary>
public sealed partial class SourceScanTests
{
    // Raw SQL entry points whose text is built with interpolation or concatenation (values must be @parameters).
    [GeneratedRegex(@"(CommandText\s*=|CreateCommand\(|NpgsqlCommand\(|SqliteCommand\(|FromSqlRaw\w*\(|ExecuteSqlRaw\w*\(|SqlQueryRaw\w*\()\s*(\$@?""|@?\$""|""[^""]*""\s*\+|\w+\s*\+)")]
    private static partial Regex BuiltSql();

    // Only constant statements may go through the Raw entry points.
    [GeneratedRegex(@"(FromSqlRaw|ExecuteSqlRaw|SqlQueryRaw)\w*\(\s*(?!""[^""{}]*""\s*[,)])")]
    private static partial Regex RawWithNonConstant();

    [Fact]
    public void No_sql_in_src_is_built_from_strings()
    {
        var offenders = new List<string>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            foreach (Match match in BuiltSql().Matches(text))
                offenders.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: {match.Value}");
            foreach (Match match in RawWithNonConstant().Matches(text))
                offenders.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: {match.Value}");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void The_scan_finds_built_sql_when_there_is_some()
    {
        Assert.Matches(BuiltSql(), "command.CommandText = $\"SELECT * FROM images WHERE path = '{path}'\";");
        Assert.Matches(BuiltSql(), "db.CreateCommand(\"SELECT * FROM t WHERE name = '\" + name + \"'\")");
        Assert.Matches(RawWithNonConstant(), "db.Database.ExecuteSqlRawAsync(sql, token)");
        Assert.DoesNotMatch(RawWithNonConstant(), "db.Database.ExecuteSqlRawAsync(\"PRAGMA journal_mode=WAL;\", token)");
    }

    [Fact]
    public void No_committed_file_holds_a_private_key_or_a_storage_key_other_than_azurites_development_key()
    {
        const string azuriteDevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var offenders = new List<string>();
        foreach (var relative in TrackedFiles())
        {
            var path = Path.Combine(RepoPaths.Root, relative);
            if (!File.Exists(path) || new FileInfo(path).Length > 2_000_000)
                continue;
            var text = File.ReadAllText(path);
            if (text.Contains('\0'))
                continue; // binary
            if (Regex.IsMatch(text, "-----BEGIN [A-Z ]*PRIVATE KEY-----"))
                offenders.Add($"{relative}: private key");
            foreach (Match key in Regex.Matches(text, @"AccountKey=([A-Za-z0-9+/=]{20,})"))
                if (key.Groups[1].Value != azuriteDevelopmentKey)
                    offenders.Add($"{relative}: storage account key");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void What_the_images_are_built_from_holds_no_credential_but_the_loopback_development_defaults()
    {
        // No Docker engine runs here, so the images themselves cannot be scanned; what they can contain can: the
        // .dockerignore allow-list over the tracked files, plus the Dockerfiles' own ENV/ARG lines.
        var allowed = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"))
            .Where(l => l.StartsWith('!')).Select(l => l[1..].Trim()).ToList();
        Assert.Contains("src/", allowed);
        // The Dockerfile stays outside the build context, but its ENV and ARG values end up in every image's metadata.
        var inImages = TrackedFiles().Where(f => allowed.Any(a => a.EndsWith('/') ? f.StartsWith(a, StringComparison.Ordinal) : f == a))
            .Append("Dockerfile").ToList();
        Assert.Contains(inImages, f => f.EndsWith("appsettings.json", StringComparison.Ordinal));

        var offenders = new List<string>();
        foreach (var relative in inImages)
        {
            var path = Path.Combine(RepoPaths.Root, relative);
            if (!File.Exists(path) || new FileInfo(path).Length > 2_000_000)
                continue;
            var text = File.ReadAllText(path);
            if (text.Contains('\0'))
                continue;
            foreach (Match password in Regex.Matches(text, @"Password=([^;""]+)"))
                if (password.Groups[1].Value != "fer")
                    offenders.Add($"{relative}: a database password other than the local default");
            foreach (Match amqp in Regex.Matches(text, @"amqp://([^:@/]+):([^@]+)@([^/:]+)"))
                if (amqp.Groups[2].Value is not ("pass" or "password") // the placeholders of a usage message
                    && (amqp.Groups[2].Value != "guest" || amqp.Groups[3].Value != "127.0.0.1"))
                    offenders.Add($"{relative}: broker credentials other than guest on loopback");
            foreach (Match key in Regex.Matches(text, @"""ApiKey""\s*:\s*""([^""]*)"""))
                if (key.Groups[1].Value.Length > 0)
                    offenders.Add($"{relative}: an API key value");
            if (relative.Contains("Dockerfile", StringComparison.Ordinal))
                foreach (var line in text.Split('\n').Where(l => l.StartsWith("ENV", StringComparison.Ordinal) || l.StartsWith("ARG", StringComparison.Ordinal)))
                    if (Regex.IsMatch(line, "(?i)password|secret|apikey|api_key|accountkey|token"))
                        offenders.Add($"{relative}: {line.Trim()}");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}"));

    private static IEnumerable<string> TrackedFiles()
    {
        var start = new ProcessStartInfo("git", ["ls-files", "-z"]) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true };
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }
}
