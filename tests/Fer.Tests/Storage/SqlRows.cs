using System.Data.Common;
using System.Globalization;

namespace Fer.Tests.Storage;

/// <summary>A query's rows as text, one string per row with its columns joined by '|' (NULL as empty), on either database.</summary>
internal static class SqlRows
{
    public static async Task<List<string>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        return rows;
    }
}
