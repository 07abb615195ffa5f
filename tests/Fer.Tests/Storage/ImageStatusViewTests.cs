using Fer.Data.Entities;
using Fer.Data.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fer.Tests.Storage;

/// <summary>
/// The image_status view on both stores, as their migrations make it: every image of each state appears once, named,
/// with its failure reason and true label spelt out.
/// </summary>
public sealed class ImageStatusViewTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private const string Query = "SELECT dataset, path, state, failure_reason, true_label, face_count FROM image_status ORDER BY path";

    private static readonly string[] Expected =
    [
        "faces|a.png|pending|||",
        "faces|b.png|scored||happy|1",
        "faces|c.png|failed|image data is truncated|sad|",
        "faces|d.png|no_face|||0",
        "faces|e.png|gone|||",
    ];

    [Fact]
    public async Task Sqlite_names_every_state_and_keeps_the_reason()
    {
        var file = Path.Combine(_temp.Path, "fer.db");
        await using (var db = FerDbContexts.ForSqlite(file))
        {
            await DatabaseSchema.ApplyAsync(db, CancellationToken.None);
            await AddImagesAsync(db);
        }
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        await connection.OpenAsync();

        Assert.Equal(Expected, await SqlRows.ReadAsync(connection, Query));
    }

    [Fact]
    public async Task Postgres_gives_the_same_rows()
    {
        var name = $"fer_status_{Guid.NewGuid():N}"[..25];
        await TestServices.CreateDatabaseAsync(name);
        try
        {
            await using (var db = FerDbContexts.ForPostgres(TestServices.PostgresFor(name)))
            {
                await DatabaseSchema.ApplyAsync(db, CancellationToken.None);
                await AddImagesAsync(db);
            }
            await using var connection = new NpgsqlConnection(TestServices.PostgresFor(name));
            await connection.OpenAsync();

            Assert.Equal(Expected, await SqlRows.ReadAsync(connection, Query));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestServices.DropDatabaseAsync(name);
        }
    }

    private static async Task AddImagesAsync(FerDbContext db)
    {
        var dataset = new Dataset { Container = "local", Path = "/data/faces", Name = "faces", CreatedAt = DateTimeOffset.UtcNow };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        var now = DateTimeOffset.UtcNow;
        ImageRecord Image(string path, ImageState state, short? label = null, string? reason = null, int? faces = null) => new()
        {
            DatasetId = dataset.Id, Path = path, ETag = "e-" + path, SizeBytes = 100, State = state, TrueLabel = label,
            FailureReason = reason, FaceCount = faces, DiscoveredAt = now, CompletedAt = state == ImageState.Pending ? null : now,
        };
        db.Images.AddRange(
            Image("a.png", ImageState.Pending),
            Image("b.png", ImageState.Scored, label: 3, faces: 1),
            Image("c.png", ImageState.Failed, label: 4, reason: "image data is truncated"),
            Image("d.png", ImageState.NoFace, faces: 0),
            Image("e.png", ImageState.Gone));
        await db.SaveChangesAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
