using System.Text.RegularExpressions;
using Fer.Data.Persistence;
using Fer.Pipeline.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fer.Tests.Storage;

/// <summary>
/// Every SQL block of docs/sql.md runs on the SQLite file `fer run samples` writes and on the real local PostgreSQL
/// (the same rows copied over), and returns rows; the per-class query gives both the same answer.
/// </summary>
public sealed partial class DocsSqlTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [GeneratedRegex(@"```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();

    [Fact]
    public async Task Every_query_of_docs_sql_runs_on_sqlite_and_postgres_with_rows()
    {
        var blocks = SqlBlock().Matches(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "sql.md")))
            .Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 5, $"{blocks.Count} sql blocks in docs/sql.md");
        // The README's queries are held to the same rule: both databases, rows back.
        var readme = SqlBlock().Matches(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"))).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(readme);
        blocks.AddRange(readme);

        var database = Path.Combine(_temp.Path, "results.db");
        var run = await CliRunner.RunAsync("run", Path.Combine(RepoPaths.Root, "samples"), "--db", database);
        Assert.True(run.ExitCode == 0, run.Error);

        var name = $"fer_docs_{Guid.NewGuid():N}"[..25];
        await TestServices.CreateDatabaseAsync(name);
        var postgres = TestServices.PostgresFor(name);
        try
        {
            await CopyToPostgresAsync(database, postgres);
            var sqliteRows = new List<List<string>>();
            var postgresRows = new List<List<string>>();
            await using (var sqlite = new SqliteConnection($"Data Source={database};Pooling=false"))
            {
                await sqlite.OpenAsync();
                foreach (var block in blocks)
                    sqliteRows.Add(await SqlRows.ReadAsync(sqlite, block));
            }
            await using (var pg = new NpgsqlConnection(postgres))
            {
                await pg.OpenAsync();
                foreach (var block in blocks)
                    postgresRows.Add(await SqlRows.ReadAsync(pg, block));
            }
            for (var i = 0; i < blocks.Count; i++)
            {
                Assert.True(sqliteRows[i].Count > 0, $"no rows on SQLite:\n{blocks[i]}");
                Assert.Equal(sqliteRows[i].Count, postgresRows[i].Count);
            }
            // The per-class block: the same seven rows on both, and all 42 sample faces counted.
            var perClass = blocks.FindIndex(b => b.Contains("GROUP BY label"));
            Assert.Equal(sqliteRows[perClass], postgresRows[perClass]);
            Assert.Equal(7, sqliteRows[perClass].Count);
            Assert.Equal(42, sqliteRows[perClass].Sum(r => int.Parse(r.Split('|')[1])));
        }
        finally
        {
            await TestServices.DropDatabaseAsync(name);
        }
    }

    private static async Task CopyToPostgresAsync(string sqliteFile, string postgres)
    {
        await using var source = new FerDbContext(new DbContextOptionsBuilder<FerDbContext>().UseSqlite($"Data Source={sqliteFile};Pooling=false").Options);
        await using var target = FerDbContexts.ForPostgres(postgres);
        await DatabaseSchema.ApplyAsync(target, CancellationToken.None);
        target.Datasets.AddRange(await source.Datasets.AsNoTracking().ToListAsync());
        target.Images.AddRange(await source.Images.AsNoTracking().ToListAsync());
        target.Predictions.AddRange(await source.Predictions.AsNoTracking().ToListAsync());
        await target.SaveChangesAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
