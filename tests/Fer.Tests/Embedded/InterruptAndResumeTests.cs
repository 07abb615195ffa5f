using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Fer.Tests.Embedded;

/// <summary>
/// `fer run` as a real process on 5,000 crops, stopped at about 30 %: by SIGINT (it must exit 130 within 10 s, saying
/// how far it got) or by SIGKILL (no chance to clean up). Running the same command again must finish the folder with
/// every image scored exactly once: nothing left Pending, one prediction per image, and the images scored before the
/// stop left as they were.
/// </summary>
public sealed partial class InterruptAndResumeTests : IDisposable
{
    private const int ImageCount = 5_000;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Sigint_at_30_percent_exits_130_within_10_s_and_a_rerun_scores_the_rest_once()
    {
        var (folder, database) = WriteCrops();
        using var run = StartRun(folder, database);
        await WaitForFinishedAsync(run, database, ImageCount * 3 / 10);

        var stopWatch = Stopwatch.StartNew();
        run.Signal(PosixSignalNumber.SIGINT);
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"still running 10 s after SIGINT:\n{run.Error}");
        stopWatch.Stop();
        Assert.True(run.ExitCode == 130, $"exit code {run.ExitCode}, not 130:\n{run.Error}");
        var message = InterruptedLine().Match(run.Error);
        Assert.True(message.Success, $"no interrupted line on stderr:\n{run.Error}");
        var (finished, pending) = (int.Parse(message.Groups["finished"].Value), int.Parse(message.Groups["pending"].Value));
        // Under load the stop can come while the folder is still being listed: then the line says so, and its counts
        // cover the rows listed so far (the rerun lists the rest).
        using (var db = Open(database))
        {
            var listed = Scalar(db, "SELECT count(*) FROM images");
            Assert.True(finished + pending == listed, $"{finished} scored + {pending} pending, but {listed} rows in the database:\n{run.Error}");
        }
        if (!message.Groups["unlisted"].Success)
            Assert.True(finished + pending == ImageCount, $"{finished} scored + {pending} pending after a full listing of {ImageCount}:\n{run.Error}");
        else if (message.Groups["notListed"].Success)
        {
            // The folder's own count says how much is left beyond the rows listed so far.
            Assert.Equal(ImageCount, int.Parse(message.Groups["inFolder"].Value));
            Assert.Equal(ImageCount, finished + pending + int.Parse(message.Groups["notListed"].Value));
        }

        var before = ReadFinished(database);
        // What it said is what the database holds: no batch half-written, none committed after the count.
        Assert.True(finished == before.Count, $"said {finished} scored, the database holds {before.Count}:\n{run.Error}");
        Assert.True(pending > 0, "the run finished before the signal could stop it");

        await RerunAndAssertEveryImageScoredOnceAsync(folder, database, before);
    }

    [Fact]
    public async Task Sigkill_at_30_percent_then_a_rerun_scores_the_rest_once()
    {
        var (folder, database) = WriteCrops();
        using (var run = StartRun(folder, database))
        {
            await WaitForFinishedAsync(run, database, ImageCount * 3 / 10);
            run.KillHard();
            Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }
        var before = ReadFinished(database);
        Assert.InRange(before.Count, ImageCount * 3 / 10, ImageCount - 1);

        await RerunAndAssertEveryImageScoredOnceAsync(folder, database, before);
    }

    [Theory]
    [InlineData(PosixSignalNumber.SIGTERM)]
    [InlineData(PosixSignalNumber.SIGHUP)]
    public async Task Sigterm_and_sighup_stop_the_run_as_ctrl_c_does(PosixSignalNumber signal)
    {
        var (folder, database) = WriteCrops();
        using var run = StartRun(folder, database);
        await WaitForFinishedAsync(run, database, 1);
        run.Signal(signal);
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"still running 10 s after {signal}:\n{run.Error}");
        Assert.Equal(130, run.ExitCode);
        Assert.Matches(InterruptedLine(), run.Error);
    }

    private async Task RerunAndAssertEveryImageScoredOnceAsync(string folder, string database, Dictionary<long, (string CompletedAt, string ScoredAt)> before)
    {
        var (exitCode, output, error) = await FerProcess.RunAsync(_work.Path, RunTimeout, RunArgs(folder, database));
        Assert.True(exitCode == 0, $"rerun exited {exitCode}:\n{output}\n{error}");
        Assert.Contains($"{ImageCount} images, {ImageCount} scored, 0 failed, 0 pending", output);

        using var db = Open(database);
        Assert.Equal(ImageCount, Scalar(db, "SELECT count(*) FROM images"));
        Assert.Equal(0, Scalar(db, "SELECT count(*) FROM images WHERE state = 0"));
        Assert.Equal(ImageCount, Scalar(db, "SELECT count(*) FROM images WHERE state = 1"));
        Assert.Equal(ImageCount, Scalar(db, "SELECT count(*) FROM predictions"));
        Assert.Equal(0, Scalar(db, "SELECT count(*) FROM (SELECT image_id FROM predictions GROUP BY image_id HAVING count(*) <> 1)"));
        Assert.Equal(0, Scalar(db, "SELECT count(*) FROM image_failures"));
        // Scored before the stop means untouched by the rerun: a second scoring would have moved these stamps.
        var after = ReadFinished(database);
        var rescored = before.Where(b => after[b.Key] != b.Value).Select(b => b.Key).ToList();
        Assert.True(rescored.Count == 0, $"{rescored.Count} images scored before the stop were scored again");
    }

    private (string Folder, string Database) WriteCrops()
    {
        var folder = Path.Combine(_work.Path, "crops");
        var faces = Fer2013Csv.SliceRows(70).Select(r => (r.Label, Png: TestImages.EncodeGray(r.Pixels, 48, 48))).ToList();
        foreach (var label in Enum.GetValues<Emotion>())
            Directory.CreateDirectory(Path.Combine(folder, EmotionLabels.Name(label)));
        for (var i = 0; i < ImageCount; i++)
        {
            var (label, png) = faces[i % faces.Count];
            File.WriteAllBytes(Path.Combine(folder, EmotionLabels.Name(label), $"face-{i:D5}.png"), png);
        }
        return (folder, Path.Combine(_work.Path, "results.db"));
    }

    private FerProcess StartRun(string folder, string database) => FerProcess.Start(_work.Path, RunArgs(folder, database));

    private static string[] RunArgs(string folder, string database) => ["run", folder, "--db", database, "--model", RepoPaths.ShippedModel];

    private static async Task WaitForFinishedAsync(FerProcess run, string database, int atLeast)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(run.HasExited, $"fer run ended before {atLeast} images were done:\n{run.Output}\n{run.Error}");
            if (File.Exists(database))
            {
                try
                {
                    using var db = Open(database);
                    if (Scalar(db, "SELECT count(*) FROM images WHERE state <> 0") >= atLeast)
                        return;
                }
                catch (SqliteException)
                {
                    // schema not created yet, or the file is being set up
                }
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"fewer than {atLeast} images done after {RunTimeout.TotalMinutes} min");
    }

    private static Dictionary<long, (string CompletedAt, string ScoredAt)> ReadFinished(string database)
    {
        using var db = Open(database);
        using var command = db.CreateCommand();
        command.CommandText = "SELECT i.id, i.completed_at, p.scored_at FROM images i JOIN predictions p ON p.image_id = i.id WHERE i.state <> 0";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<long, (string, string)>();
        while (reader.Read())
            rows.Add(reader.GetInt64(0), (Convert.ToString(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)!, Convert.ToString(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)!));
        return rows;
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        connection.Open();
        return connection;
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    [GeneratedRegex(@"interrupted: (?<finished>\d+) scored, (?<pending>\d+) pending(?<unlisted>, (?<notListed>\d+) more not listed yet \((?<inFolder>\d+) in the folder\)|, the rest of the folder not listed yet)?; run the same command again to resume")]
    private static partial Regex InterruptedLine();

    public void Dispose() => _work.Dispose();
}
