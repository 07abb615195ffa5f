using Fer.Data.Entities;

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

    /// <summary>A dataset row for a local folder (/data/faces, named "faces"); returns its id.</summary>
    public async Task<long> AddDatasetAsync()
    {
        await using var db = Open();
        var dataset = new Dataset { Container = "local", Path = "/data/faces", Name = "faces", CreatedAt = DateTimeOffset.UtcNow };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        return dataset.Id;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
