using Microsoft.Data.Sqlite;

namespace Fer.Pipeline.Persistence;

/// <summary>
/// A statement the SQLite writers run many times in one transaction: prepared once with named parameters, then run
/// with fresh values in parameter order (null becomes SQL NULL).
/// </summary>
internal static class SqlitePreparedCommand
{
    public static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction? transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    public static SqliteCommand Bind(this SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }
}
