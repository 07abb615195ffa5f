namespace Fer.Tests.Reports;

/// <summary>A fresh SQLite database file in a temp folder (the embedded store), deleted afterwards.</summary>
public sealed class SqliteTestDatabase : IDisposable
{
    public SqliteTestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "fer-report-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        FilePath = Path.Combine(Folder, "fer.db");
        // The schema `fer run` makes: the SQLite migrations, view included.
        SqliteSchema.MigrateAsync($"Data Source={FilePath}").GetAwaiter().GetResult();
    }

    public string Folder { get; }
    public string FilePath { get; }

    public FerDbContext Open() => FerDbContexts.ForSqlite(FilePath);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
