using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fer.Data;

/// <summary>
/// Brings an embedded-mode SQLite file to the current schema with the SQLite migrations (Migrations/Sqlite).
/// Files written before SQLite had migrations were made by EnsureCreated and carry no history: their schema is
/// exactly <see cref="BaselineMigration"/>, so they are recorded as at that migration and upgraded from there.
/// </summary>
public static class SqliteSchema
{
    /// <summary>The schema EnsureCreated gave every SQLite file before migrations (photos and faces included).</summary>
    public const string BaselineMigration = "20261204163226_SqliteBaseline";

    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var db = FerSqliteDbContext.Open(connectionString);
        await AdoptUnversionedFileAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    private static async Task AdoptUnversionedFileAsync(FerSqliteDbContext db, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var tables = await ListAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table'", cancellationToken);
            if (!tables.Contains("datasets") || tables.Contains(HistoryRepository.DefaultTableName))
                return; // a new file, or one that migrations already keep
            var predictionColumns = await ListAsync(connection, "SELECT name FROM pragma_table_info('predictions')", cancellationToken);
            var datasetColumns = await ListAsync(connection, "SELECT name FROM pragma_table_info('datasets')", cancellationToken);
            if (!predictionColumns.Contains("face_index") || datasetColumns.Contains("path"))
                throw new InvalidOperationException(
                    $"{connection.DataSource}: this results database has a schema no migration knows (made by a much older fer, or " +
                    "by EnsureCreated); score the folder into a new --db file");

            var history = db.GetService<IHistoryRepository>();
            await history.CreateIfNotExistsAsync(cancellationToken);
            // EF's default history table; the values go as parameters like every other statement in src/.
            var version = ProductInfo.GetVersion();
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ({BaselineMigration}, {version})", cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<HashSet<string>> ListAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            names.Add(reader.GetString(0));
        return names;
    }
}
