using System.Globalization;
using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// SQLite (embedded mode): the same guard and outcome as the PostgreSQL writer, in one transaction per batch. The hot
/// path writes with prepared statements, not EF change tracking (about 9 % less process CPU for 20,000 crops, measured
/// with /usr/bin/time on a loaded machine).
/// </summary>
public sealed class SqlitePredictionWriter(IDbContextFactory<FerDbContext> factory, PredictionWriteGate gate) : IPredictionWriter
{
    private const int MaxReasonLength = 2048;

    // The ids travel as one JSON array, so the statement text is the same for every batch size.
    private const string PendingSql = "SELECT id, e_tag FROM images WHERE state = 0 AND id IN (SELECT value FROM json_each($ids))";

    /// <summary>
    /// Raw SQL like the PostgreSQL writer's: the EF Core query it replaces was re-translated for every batch (its id
    /// list is a new parameter set each time), the largest per-batch cost besides the model's own.
    /// </summary>
    public async Task<IReadOnlySet<long>> FindPendingAsync(IReadOnlyCollection<ScoreImage> messages, CancellationToken cancellationToken)
    {
        var expected = messages.ToDictionary(m => m.ImageId, m => m.ETag);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        command.CommandText = PendingSql;
        command.Parameters.AddWithValue("$ids", "[" + string.Join(',', expected.Keys.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await PendingRows.WithExpectedETagAsync(reader, expected, cancellationToken);
    }

    public async Task<int> WriteAsync(IReadOnlyList<ImageOutcome> outcomes, ModelIdentity model, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
            return 0;
        using var activity = FerTelemetry.ActivitySource.StartActivity("persist");
        var now = IsoUtcTextConverter.Format(DateTimeOffset.UtcNow);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var sqliteTransaction = (SqliteTransaction)transaction.GetDbTransaction();
        using var statements = new SqliteBatchStatements(connection, sqliteTransaction);

        long scored = 0, failed = 0, noFace = 0, faces = 0;
        var moved = 0;
        var datasets = new HashSet<long>();
        foreach (var outcome in outcomes)
        {
            var reason = outcome.State == ImageState.Failed ? Truncate(outcome.FailureReason ?? "unknown") : null;
            int? faceCount = outcome.State switch { ImageState.Scored => outcome.Faces.Count, ImageState.NoFace => 0, _ => null };
            // Only a row still Pending with the message's ETag moves: a duplicate or stale delivery writes nothing.
            if (await statements.FinishImageAsync(outcome.ImageId, outcome.ETag, outcome.State, reason, faceCount, now, cancellationToken) == 0)
                continue;
            moved++;
            datasets.Add(outcome.DatasetId);
            switch (outcome.State)
            {
                case ImageState.Scored:
                    foreach (var face in outcome.Faces)
                        await statements.UpsertPredictionAsync(outcome, face, model, now, cancellationToken);
                    // A changed file scored again with fewer faces must not keep the old extra rows.
                    await statements.TrimPredictionsAsync(outcome.ImageId, outcome.Faces.Count, cancellationToken);
                    faces += outcome.Faces.Count;
                    scored++;
                    break;
                case ImageState.NoFace:
                    noFace++;
                    break;
                default:
                    await statements.InsertFailureAsync(outcome.ImageId, reason!, model.WorkerId, now, cancellationToken);
                    failed++;
                    break;
            }
        }
        foreach (var datasetId in datasets)
            await statements.TouchDatasetAsync(datasetId, now, cancellationToken);
        await gate.CommitAsync(() => transaction.CommitAsync(cancellationToken));
        FerTelemetry.ImagesScored.Add(scored);
        FerTelemetry.ImagesFailed.Add(failed);
        FerTelemetry.ImagesNoFace.Add(noFace);
        FerTelemetry.FacesScored.Add(faces);
        return moved;
    }

    public async Task RecordTransientFailureAsync(IReadOnlyCollection<ScoreImage> messages, string reason, string workerId, CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => m.ImageId).ToList();
        reason = Truncate(reason);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var images = await db.Images.Where(i => ids.Contains(i.Id) && i.State == ImageState.Pending).ToListAsync(cancellationToken);
        foreach (var image in images)
        {
            image.FailureReason = reason;
            db.ImageFailures.Add(new ImageFailure { ImageId = image.Id, Reason = reason, Permanent = false, WorkerId = workerId, OccurredAt = DateTimeOffset.UtcNow });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Truncate(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
}
