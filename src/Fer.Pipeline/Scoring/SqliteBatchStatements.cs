using Fer.Data.Entities;
using Fer.Pipeline.Persistence;
using Microsoft.Data.Sqlite;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// The statements one batch's SQLite write repeats per image and per face, each prepared once per batch and run with
/// fresh parameter values (the column names are the EF model's, snake_case). Times are the model's ISO-8601 UTC text.
/// </summary>
internal sealed class SqliteBatchStatements : IDisposable
{
    private const string FinishImageSql = """
        UPDATE images SET state = $state, completed_at = $now, failure_reason = $reason, face_count = $face_count
        WHERE id = $id AND state = 0 AND e_tag = $etag
        """;

    private static readonly string UpsertPredictionSql = $"""
        INSERT INTO predictions ({PredictionColumns.InsertList})
        VALUES ({PredictionColumns.ValueList(column => "$" + column)})
        ON CONFLICT ({PredictionColumns.Key}) DO UPDATE SET {PredictionColumns.UpdateFromExcluded}
        """;

    private const string TrimPredictionsSql = "DELETE FROM predictions WHERE image_id = $image_id AND face_index >= $face_count";

    private const string InsertFailureSql = """
        INSERT INTO image_failures (image_id, reason, permanent, worker_id, occurred_at)
        VALUES ($image_id, $reason, 1, $worker_id, $now)
        """;

    private const string TouchDatasetSql = "UPDATE datasets SET results_changed_at = $now WHERE id = $id";

    private static readonly string[] PredictionParameters = [.. PredictionColumns.All.Select(column => "$" + column)];

    private readonly SqliteCommand _finishImage;
    private readonly SqliteCommand _upsertPrediction;
    private readonly SqliteCommand _trimPredictions;
    private readonly SqliteCommand _insertFailure;
    private readonly SqliteCommand _touchDataset;

    public SqliteBatchStatements(SqliteConnection connection, SqliteTransaction transaction)
    {
        _finishImage = SqlitePreparedCommand.Prepare(connection, transaction, FinishImageSql, "$state", "$now", "$reason", "$face_count", "$id", "$etag");
        _upsertPrediction = SqlitePreparedCommand.Prepare(connection, transaction, UpsertPredictionSql, PredictionParameters);
        _trimPredictions = SqlitePreparedCommand.Prepare(connection, transaction, TrimPredictionsSql, "$image_id", "$face_count");
        _insertFailure = SqlitePreparedCommand.Prepare(connection, transaction, InsertFailureSql, "$image_id", "$reason", "$worker_id", "$now");
        _touchDataset = SqlitePreparedCommand.Prepare(connection, transaction, TouchDatasetSql, "$now", "$id");
    }

    /// <returns>1 when the row was Pending with this ETag and is now terminal; 0 when it was not (nothing written)</returns>
    public Task<int> FinishImageAsync(long imageId, string eTag, ImageState state, string? reason, int? faceCount, string now,
        CancellationToken cancellationToken) =>
        Run(_finishImage, cancellationToken, (int)state, now, reason, faceCount, imageId, eTag);

    public Task<int> UpsertPredictionAsync(ImageOutcome outcome, FaceOutcome face, ModelIdentity model, string now, CancellationToken cancellationToken)
    {
        var scores = face.Prediction.Scores;
        return Run(_upsertPrediction, cancellationToken,
            outcome.ImageId, face.Index, face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height, face.DetectorConfidence,
            scores[0], scores[1], scores[2], scores[3], scores[4], scores[5], scores[6], (short)face.Prediction.Label, face.Prediction.Confidence,
            model.ModelName, model.ModelSha256, model.WorkerId,
            outcome.DownloadMs, outcome.DecodeMs, outcome.DetectMs, outcome.InferenceMs, outcome.BatchSize, now);
    }

    public Task<int> TrimPredictionsAsync(long imageId, int faceCount, CancellationToken cancellationToken) =>
        Run(_trimPredictions, cancellationToken, imageId, faceCount);

    public Task<int> InsertFailureAsync(long imageId, string reason, string workerId, string now, CancellationToken cancellationToken) =>
        Run(_insertFailure, cancellationToken, imageId, reason, workerId, now);

    public Task<int> TouchDatasetAsync(long datasetId, string now, CancellationToken cancellationToken) =>
        Run(_touchDataset, cancellationToken, now, datasetId);

    private static Task<int> Run(SqliteCommand command, CancellationToken cancellationToken, params object?[] values) =>
        command.Bind(values).ExecuteNonQueryAsync(cancellationToken);

    public void Dispose()
    {
        _finishImage.Dispose();
        _upsertPrediction.Dispose();
        _trimPredictions.Dispose();
        _insertFailure.Dispose();
        _touchDataset.Dispose();
    }
}
