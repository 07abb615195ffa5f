using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Fer.Faults.Scenarios;

/// <summary>
/// The embedded <c>fer run</c> (in-process queue, SQLite, local folder; the Release-built CLI as its own process) killed
/// with SIGKILL once part of the folder is terminal, then run again with the same command on the same folder and
/// database. The rerun must finish the folder: every image terminal, each scored once.
/// <para>
/// The counts come from the SQLite file. Images terminal before the kill are fingerprinted (completed_at, prediction
/// and failure rows); before the rerun, triggers like the PostgreSQL ledger's are added to the file, so every terminal
/// transition, prediction write and permanent failure of the rerun is logged. Duplicated = an image the rerun touched
/// although it was already terminal, or with more than one terminal transition, prediction per face, or permanent
/// failure, or both a prediction and a permanent failure.
/// </para>
/// </summary>
public sealed class EmbeddedRunKillScenario() : FaultScenario("embedded-sigkill", "embedded `fer run` SIGKILL halfway, rerun")
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    public override bool ScoresIntoPostgres => false;

    public override async Task<FaultRow> RunAsync(FaultContext context)
    {
        var settings = context.Settings;
        var work = Path.Combine(context.Stack.LogDirectory, Name);
        var folder = Path.Combine(work, "faces");
        var database = Path.Combine(work, "results.db");
        WriteFolder(context.Images, folder, settings.Images);
        var expected = context.Expected;
        // A kill only counts once some batch has committed and while some image is still Pending.
        var killAt = Math.Max(1, expected / 3);

        int terminalAtKill;
        await using (var first = CliRun.Start(settings, folder, database, Path.Combine(work, "run-1.log")))
        {
            var deadline = DateTime.UtcNow + RunTimeout;
            while (true)
            {
                if (first.HasExited)
                    throw new InvalidOperationException($"the first fer run exited with {first.ExitCode} before it was killed; see {first.LogPath}");
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"fewer than {killAt} images terminal after {RunTimeout.TotalMinutes:0} min; see {first.LogPath}");
                if (TryCountTerminal(database) >= killAt)
                    break;
                await Task.Delay(5);
            }
            await first.KillHardAsync();
        }
        var before = ReadTerminal(database);
        terminalAtKill = before.Count;
        if (terminalAtKill >= expected)
            throw new InvalidOperationException($"all {expected} images were terminal when the kill landed: the fault was not injected");

        InstallAudit(database);
        var watch = Stopwatch.StartNew();
        int exitCode;
        await using (var rerun = CliRun.Start(settings, folder, database, Path.Combine(work, "run-2.log")))
            exitCode = await rerun.WaitAsync(RunTimeout);
        var rerunSeconds = watch.Elapsed.TotalSeconds;

        var counts = Count(database, before);
        var row = FaultRow.From(Fault, expected, counts,
            $"fer run killed with {terminalAtKill} of {expected} images terminal; the rerun (same folder and database) exited {exitCode} " +
            $"after {rerunSeconds:0.0} s and left {counts.Pending} pending; the {terminalAtKill} finished before the kill were not touched again");
        return exitCode == 0 ? row : row with { Problem = $"the rerun exited with {exitCode}; see {Path.Combine(work, "run-2.log")}" };
    }

    private static void WriteFolder(FaultImages images, string folder, int faces)
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        for (var i = 0; i < faces; i++)
        {
            var (path, png) = images.Face(i);
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, png);
        }
        foreach (var (name, bytes) in FaultImages.Unscorable)
        {
            var file = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
        }
    }

    private static SqliteConnection Open(string database, bool readOnly)
    {
        var connection = new SqliteConnection($"Data Source={database};Mode={(readOnly ? "ReadOnly" : "ReadWrite")};Pooling=false");
        connection.Open();
        return connection;
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Terminal images so far, or -1 while the file or its schema does not exist yet.</summary>
    private static long TryCountTerminal(string database)
    {
        if (!File.Exists(database))
            return -1;
        try
        {
            using var db = Open(database, readOnly: true);
            return Scalar(db, "SELECT count(*) FROM images WHERE state <> 0");
        }
        catch (SqliteException)
        {
            return -1; // being created, or the schema is not there yet
        }
    }

    /// <summary>Each terminal image's fingerprint: state, completed_at, its predictions' scored_at and its failure rows.</summary>
    private static Dictionary<long, string> ReadTerminal(string database)
    {
        using var db = Open(database, readOnly: true);
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT i.id, i.state || '|' || coalesce(i.completed_at, '') || '|' ||
                   coalesce((SELECT group_concat(p.face_index || '@' || p.scored_at, ',') FROM predictions p WHERE p.image_id = i.id), '') || '|' ||
                   (SELECT count(*) FROM image_failures f WHERE f.image_id = i.id)
              FROM images i WHERE i.state <> 0
            """;
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<long, string>();
        while (reader.Read())
            rows.Add(reader.GetInt64(0), reader.GetString(1));
        return rows;
    }

    private static void InstallAudit(string database)
    {
        using var db = Open(database, readOnly: false);
        using var command = db.CreateCommand();
        command.CommandText = """
            CREATE TABLE fault_audit (image_id INTEGER NOT NULL, event TEXT NOT NULL, face_index INTEGER);
            CREATE TRIGGER fault_audit_terminal AFTER UPDATE OF state ON images WHEN OLD.state = 0 AND NEW.state <> 0
            BEGIN INSERT INTO fault_audit (image_id, event) VALUES (NEW.id, 'terminal'); END;
            CREATE TRIGGER fault_audit_prediction_insert AFTER INSERT ON predictions
            BEGIN INSERT INTO fault_audit (image_id, event, face_index) VALUES (NEW.image_id, 'prediction', NEW.face_index); END;
            CREATE TRIGGER fault_audit_prediction_update AFTER UPDATE ON predictions
            BEGIN INSERT INTO fault_audit (image_id, event, face_index) VALUES (NEW.image_id, 'prediction', NEW.face_index); END;
            CREATE TRIGGER fault_audit_failure AFTER INSERT ON image_failures WHEN NEW.permanent
            BEGIN INSERT INTO fault_audit (image_id, event) VALUES (NEW.image_id, 'failure'); END;
            """;
        command.ExecuteNonQuery();
    }

    private static FaultLedger.Counts Count(string database, Dictionary<long, string> before)
    {
        using var db = Open(database, readOnly: true);
        var rows = (int)Scalar(db, "SELECT count(*) FROM images");
        var scored = (int)Scalar(db, "SELECT count(*) FROM images WHERE state IN (1, 3)");
        var failed = (int)Scalar(db, "SELECT count(*) FROM images WHERE state = 2");
        var pending = (int)Scalar(db, "SELECT count(*) FROM images WHERE state = 0");
        var scoredWithoutPrediction = (int)Scalar(db,
            "SELECT count(*) FROM images i WHERE i.state = 1 AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.image_id = i.id)");

        var duplicated = new HashSet<long>();
        void Add(string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
                duplicated.Add(reader.GetInt64(0));
        }
        // Over the whole file: more than one prediction row per face, more than one permanent failure, or both.
        Add("SELECT image_id FROM predictions GROUP BY image_id, face_index HAVING count(*) > 1");
        Add("SELECT image_id FROM image_failures WHERE permanent GROUP BY image_id HAVING count(*) > 1");
        Add("SELECT DISTINCT f.image_id FROM image_failures f WHERE f.permanent AND EXISTS (SELECT 1 FROM predictions p WHERE p.image_id = f.image_id)");
        // During the rerun: more than one terminal transition or write of a face's prediction.
        Add("SELECT image_id FROM fault_audit WHERE event = 'terminal' GROUP BY image_id HAVING count(*) > 1");
        Add("SELECT image_id FROM fault_audit WHERE event = 'prediction' GROUP BY image_id, face_index HAVING count(*) > 1");
        // Terminal before the kill: the rerun must leave it exactly as it was.
        var touched = new HashSet<long>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT DISTINCT image_id FROM fault_audit";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                touched.Add(reader.GetInt64(0));
        }
        var now = ReadTerminal(database);
        foreach (var (id, fingerprint) in before)
            if (touched.Contains(id) || !now.TryGetValue(id, out var current) || current != fingerprint)
                duplicated.Add(id);
        return new FaultLedger.Counts(rows, scored, failed, pending, scoredWithoutPrediction, duplicated.Count);
    }

    /// <summary>`dotnet fer.dll run FOLDER --db DB --model MODEL` with its output in a log file; exec keeps the pid for SIGKILL.</summary>
    private sealed class CliRun : IAsyncDisposable
    {
        private readonly Process _process;

        private CliRun(Process process, string logPath)
        {
            _process = process;
            LogPath = logPath;
        }

        public string LogPath { get; }
        public bool HasExited => _process.HasExited;
        public int ExitCode => _process.ExitCode;

        public static CliRun Start(FaultSettings settings, string folder, string database, string logPath)
        {
            if (!File.Exists(settings.CliDll))
                throw new FileNotFoundException($"{settings.CliDll} not built: scripts/faults.sh builds src/Fer.Cli in Release", settings.CliDll);
            var start = new ProcessStartInfo("/bin/bash",
                ["-c", "exec dotnet \"$0\" run \"$1\" --db \"$2\" --model \"$3\" > \"$4\" 2>&1", settings.CliDll, folder, database, settings.Model, logPath])
            {
                WorkingDirectory = settings.RepoRoot,
                UseShellExecute = false,
            };
            return new CliRun(Process.Start(start) ?? throw new InvalidOperationException("could not start fer run"), logPath);
        }

        public async Task KillHardAsync()
        {
            using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await _process.WaitForExitAsync();
        }

        public async Task<int> WaitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
                return _process.ExitCode;
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"fer run still running after {timeout.TotalMinutes:0} min; see {LogPath}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
                await KillHardAsync();
            _process.Dispose();
        }
    }
}
