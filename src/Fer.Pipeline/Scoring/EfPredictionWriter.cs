using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Scoring;

/// <summary>Any EF Core provider (SQLite in embedded mode): the same guard and outcome as the PostgreSQL writer, in one transaction.</summary>
public sealed class EfPredictionWriter(IDbContextFactory<FerDbContext> factory, PredictionWriteGate gate) : IPredictionWriter
{
    private const int MaxReasonLength = 2048;

    public async Task<IReadOnlySet<long>> FindPendingAsync(IReadOnlyCollection<ScoreImage> messages, CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => m.ImageId).ToList();
        var expected = messages.ToDictionary(m => m.ImageId, m => m.ETag);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Images.AsNoTracking()
            .Where(i => ids.Contains(i.Id) && i.State == ImageState.Pending)
            .Select(i => new { i.Id, i.ETag })
            .ToListAsync(cancellationToken);
        return rows.Where(r => expected[r.Id] == r.ETag).Select(r => r.Id).ToHashSet();
    }

    public async Task<int> WriteAsync(IReadOnlyList<ImageOutcome> outcomes, ModelIdentity model, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
            return 0;
        using var activity = FerTelemetry.ActivitySource.StartActivity("persist");
        var byId = outcomes.ToDictionary(o => o.ImageId);
        var ids = byId.Keys.ToList();
        var now = DateTimeOffset.UtcNow;

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var images = await db.Images.Include(i => i.Predictions)
            .Where(i => ids.Contains(i.Id) && i.State == ImageState.Pending)
            .ToListAsync(cancellationToken);
        var moved = images.Where(i => i.ETag == byId[i.Id].ETag).ToList();
        long scored = 0, failed = 0, noFace = 0, faces = 0;
        foreach (var image in moved)
        {
            var outcome = byId[image.Id];
            image.CompletedAt = now;
            image.State = outcome.State;
            switch (outcome.State)
            {
                case ImageState.Scored:
                    image.FailureReason = null;
                    image.FaceCount = outcome.Faces.Count;
                    foreach (var face in outcome.Faces)
                    {
                        // An upsert per (image, face index), as the PostgreSQL writer's ON CONFLICT.
                        var row = image.Predictions.FirstOrDefault(p => p.FaceIndex == face.Index);
                        if (row is null)
                        {
                            row = new Prediction { ImageId = image.Id, FaceIndex = face.Index, ModelName = model.ModelName, ModelSha256 = model.ModelSha256, WorkerId = model.WorkerId };
                            db.Predictions.Add(row);
                        }
                        Fill(row, face, outcome, model, now);
                        faces++;
                    }
                    scored++;
                    break;
                case ImageState.NoFace:
                    image.FailureReason = null;
                    image.FaceCount = 0;
                    noFace++;
                    break;
                default:
                    image.FailureReason = Truncate(outcome.FailureReason ?? "unknown");
                    image.FaceCount = null;
                    db.ImageFailures.Add(new ImageFailure { ImageId = image.Id, Reason = image.FailureReason, Permanent = true, WorkerId = model.WorkerId, OccurredAt = now });
                    failed++;
                    break;
            }
        }
        var datasetIds = moved.Select(i => i.DatasetId).Distinct().ToList();
        foreach (var dataset in await db.Datasets.Where(d => datasetIds.Contains(d.Id)).ToListAsync(cancellationToken))
            dataset.ResultsChangedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await gate.CommitAsync(() => transaction.CommitAsync(cancellationToken));
        FerTelemetry.ImagesScored.Add(scored);
        FerTelemetry.ImagesFailed.Add(failed);
        FerTelemetry.ImagesNoFace.Add(noFace);
        FerTelemetry.FacesScored.Add(faces);
        return moved.Count;
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

    private static void Fill(Prediction row, FaceOutcome face, ImageOutcome outcome, ModelIdentity model, DateTimeOffset now)
    {
        var p = face.Prediction;
        row.BoxX = face.Box.X;
        row.BoxY = face.Box.Y;
        row.BoxWidth = face.Box.Width;
        row.BoxHeight = face.Box.Height;
        row.DetectorConfidence = face.DetectorConfidence;
        row.Angry = p.Scores[0];
        row.Disgust = p.Scores[1];
        row.Fear = p.Scores[2];
        row.Happy = p.Scores[3];
        row.Sad = p.Scores[4];
        row.Surprise = p.Scores[5];
        row.Neutral = p.Scores[6];
        row.PredictedLabel = (short)p.Label;
        row.Confidence = p.Confidence;
        row.ModelName = model.ModelName;
        row.ModelSha256 = model.ModelSha256;
        row.WorkerId = model.WorkerId;
        row.DownloadMs = outcome.DownloadMs;
        row.DecodeMs = outcome.DecodeMs;
        row.DetectMs = outcome.DetectMs;
        row.InferenceMs = outcome.InferenceMs;
        row.BatchSize = outcome.BatchSize;
        row.ScoredAt = now;
    }

    private static string Truncate(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
}
