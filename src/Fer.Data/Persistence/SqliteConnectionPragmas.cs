using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fer.Data.Persistence;

/// <summary>
/// Per-connection SQLite settings on every connection the hosts open:
/// <list type="bullet">
/// <item>`synchronous=NORMAL`: in WAL mode SQLite's recommended level. A commit no longer waits for an fsync, a crashed or
/// killed process still loses nothing it committed, and only a power cut or OS crash may roll back the last batches,
/// which then stay Pending and are scored again by the next run (never half-written).</item>
/// <item>`busy_timeout`: a writer that finds another one mid-commit (the listing's row inserts and two batches share one
/// file) waits in SQLite's own busy handler, which retries within a millisecond or two of the lock coming free.
/// Without it Microsoft.Data.Sqlite retries after a fixed 150 ms sleep, and every collision left a core idle that long
/// (bench/RESULTS.md). The same 30 s bound as a command's default timeout.</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    public static readonly SqliteConnectionPragmas Instance = new();

    public const int BusyTimeoutMilliseconds = 30_000;

    private static readonly string Pragmas = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
