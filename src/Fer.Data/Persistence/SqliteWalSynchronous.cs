using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fer.Data.Persistence;

/// <summary>
/// `PRAGMA synchronous=NORMAL` on every SQLite connection the hosts open (a per-connection setting). In WAL mode that is
/// SQLite's recommended level: a commit no longer waits for an fsync, a crashed or killed process still loses nothing it
/// committed, and only a power cut or OS crash may roll back the last batches, which then stay Pending and are scored
/// again by the next run (never half-written).
/// </summary>
public sealed class SqliteWalSynchronous : DbConnectionInterceptor
{
    public static readonly SqliteWalSynchronous Instance = new();

    private const string Pragma = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
