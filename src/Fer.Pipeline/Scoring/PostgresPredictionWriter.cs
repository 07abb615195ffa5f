using System.Diagnostics;
using Fer.Contracts;
using Fer.Data.Entities;
using Fer.Pipeline.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// PostgreSQL writer: binary COPY of the micro-batch (one row per face) into a session temp table, then one statement
/// that moves matching Pending rows to their terminal state (Scored, Failed or NoFace), upserts one prediction per face,
/// records failures and bumps the datasets, all in one transaction.
/// </summary>
public sealed class PostgresPredictionWriter(NpgsqlDataSource dataSource) : IPredictionWriter
{
    private const int MaxReasonLength = 2048;

    // ON COMMIT DELETE ROWS keeps the pooled connection's temp table empty between batches.
    // One row per face of a Scored image (each carrying the image's state and face count), one row per Failed or NoFace image.
    // The table name changed with face support, so a connection that still holds the old layout never mixes them up.
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS face_staging (
            image_id bigint NOT NULL, e_tag text NOT NULL, state smallint NOT NULL, reason text, face_count integer,
            face_index smallint, box_x integer, box_y integer, box_width integer, box_height integer, detector_confidence real,
            angry real, disgust real, fear real, happy real, sad real, surprise real, neutral real,
            predicted_label smallint, confidence real,
            download_ms real NOT NULL, decode_ms real NOT NULL, detect_ms real NOT NULL, inference_ms real NOT NULL, batch_size integer NOT NULL
        ) ON COMMIT DELETE ROWS
        """;

    private const string CopyStaging = """
        COPY face_staging (image_id, e_tag, state, reason, face_count, face_index, box_x, box_y, box_width, box_height,
                           detector_confidence, angry, disgust, fear, happy, sad, surprise, neutral,
                           predicted_label, confidence, download_ms, decode_ms, detect_ms, inference_ms, batch_size)
        FROM STDIN (FORMAT BINARY)
        """;

    // Data-modifying CTEs share one snapshot; `moved` is the guard: only Pending rows with the same ETag count.
    // The faces of one image share (image_id, e_tag, state, reason, face_count): DISTINCT gives the UPDATE one row per image.
    private static readonly string Apply = $$"""
        WITH staged AS (
            SELECT DISTINCT image_id, e_tag, state, reason, face_count FROM face_staging
        ), moved AS (
            UPDATE images i
               SET state = s.state,
                   failure_reason = s.reason,
                   face_count = s.face_count,
                   completed_at = @now
              FROM staged s
             WHERE i.id = s.image_id AND i.state = 0 AND i.e_tag = s.e_tag
         RETURNING i.id, i.dataset_id, i.state
        ), scored AS (
            INSERT INTO predictions ({{PredictionColumns.InsertList}})
            SELECT {{PredictionColumns.ValueList(StagedOrParameter)}}
              FROM face_staging s JOIN moved m ON m.id = s.image_id
             WHERE s.state = 1
            ON CONFLICT ({{PredictionColumns.Key}}) DO UPDATE SET {{PredictionColumns.UpdateFromExcluded}}
            RETURNING image_id
        ), failures AS (
            INSERT INTO image_failures (image_id, reason, permanent, worker_id, occurred_at)
            SELECT s.image_id, s.reason, true, @worker_id, @now
              FROM staged s JOIN moved m ON m.id = s.image_id
             WHERE s.state = 2
            RETURNING image_id
        ), touched AS (
            UPDATE datasets d SET results_changed_at = @now
             WHERE d.id IN (SELECT dataset_id FROM moved)
            RETURNING d.id
        )
        SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM moved WHERE state = 1), (SELECT count(*) FROM failures),
               (SELECT count(*) FROM moved WHERE state = 3), (SELECT count(*) FROM scored), (SELECT count(*) FROM touched)
        """;

    // A face's own values come from its staging row; the model, the worker and the time are the batch's parameters.
    private static string StagedOrParameter(string column) => column switch
    {
        "scored_at" => "@now",
        _ when PredictionColumns.PerBatch.Contains(column) => "@" + column,
        _ => "s." + column,
    };

    public async Task<IReadOnlySet<long>> FindPendingAsync(IReadOnlyCollection<ScoreImage> messages, CancellationToken cancellationToken)
    {
        var expected = messages.ToDictionary(m => m.ImageId, m => m.ETag);
        await using var command = dataSource.CreateCommand("SELECT id, e_tag FROM images WHERE id = ANY(@ids) AND state = 0");
        command.Parameters.AddWithValue("ids", expected.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await PendingRows.WithExpectedETagAsync(reader, expected, cancellationToken);
    }

    public async Task<int> WriteAsync(IReadOnlyList<ImageOutcome> outcomes, ModelIdentity model, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
            return 0;
        using var activity = FerTelemetry.ActivitySource.StartActivity("persist");
        activity?.SetTag("fer.batch_size", outcomes.Count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var create = new NpgsqlCommand(CreateStaging, connection, transaction))
            await create.ExecuteNonQueryAsync(cancellationToken);

        await using (var importer = await connection.BeginBinaryImportAsync(CopyStaging, cancellationToken))
        {
            foreach (var outcome in outcomes)
                await WriteRowAsync(importer, outcome, cancellationToken);
            await importer.CompleteAsync(cancellationToken);
        }

        int moved;
        await using (var apply = new NpgsqlCommand(Apply, connection, transaction))
        {
            apply.Parameters.AddWithValue("now", DateTimeOffset.UtcNow);
            apply.Parameters.AddWithValue("model_name", model.ModelName);
            apply.Parameters.AddWithValue("model_sha256", model.ModelSha256);
            apply.Parameters.AddWithValue("worker_id", model.WorkerId);
            await using var reader = await apply.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            moved = (int)reader.GetInt64(0);
            RecordCounts(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }
        await transaction.CommitAsync(cancellationToken);
        activity?.SetTag("fer.rows_moved", moved);
        return moved;
    }

    public async Task RecordTransientFailureAsync(IReadOnlyCollection<ScoreImage> messages, string reason, string workerId, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH noted AS (
                UPDATE images SET failure_reason = @reason
                 WHERE id = ANY(@ids) AND state = 0
             RETURNING id
            )
            INSERT INTO image_failures (image_id, reason, permanent, worker_id, occurred_at)
            SELECT id, @reason, false, @worker_id, now() FROM noted
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("reason", Truncate(reason));
        command.Parameters.AddWithValue("ids", messages.Select(m => m.ImageId).ToArray());
        command.Parameters.AddWithValue("worker_id", workerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter importer, ImageOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.State != ImageState.Scored)
        {
            await WriteFaceRowAsync(importer, outcome, null, cancellationToken);
            return;
        }
        foreach (var face in outcome.Faces)
            await WriteFaceRowAsync(importer, outcome, face, cancellationToken);
    }

    private static async Task WriteFaceRowAsync(NpgsqlBinaryImporter importer, ImageOutcome outcome, FaceOutcome? face, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken);
        await importer.WriteAsync(outcome.ImageId, NpgsqlDbType.Bigint, cancellationToken);
        await importer.WriteAsync(outcome.ETag, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync((short)outcome.State, NpgsqlDbType.Smallint, cancellationToken);
        if (outcome.FailureReason is null)
            await importer.WriteNullAsync(cancellationToken);
        else
            await importer.WriteAsync(Truncate(outcome.FailureReason), NpgsqlDbType.Text, cancellationToken);
        if (outcome.State == ImageState.Failed)
            await importer.WriteNullAsync(cancellationToken);
        else
            await importer.WriteAsync(outcome.Faces.Count, NpgsqlDbType.Integer, cancellationToken);
        if (face is not null)
        {
            await importer.WriteAsync(face.Index, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(face.Box.X, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(face.Box.Y, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(face.Box.Width, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(face.Box.Height, NpgsqlDbType.Integer, cancellationToken);
            if (face.DetectorConfidence is { } detectorConfidence)
                await importer.WriteAsync(detectorConfidence, NpgsqlDbType.Real, cancellationToken);
            else
                await importer.WriteNullAsync(cancellationToken);
            foreach (var score in face.Prediction.Scores)
                await importer.WriteAsync(score, NpgsqlDbType.Real, cancellationToken);
            await importer.WriteAsync((short)face.Prediction.Label, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(face.Prediction.Confidence, NpgsqlDbType.Real, cancellationToken);
        }
        else
        {
            for (var i = 0; i < 15; i++)
                await importer.WriteNullAsync(cancellationToken);
        }
        await importer.WriteAsync(outcome.DownloadMs, NpgsqlDbType.Real, cancellationToken);
        await importer.WriteAsync(outcome.DecodeMs, NpgsqlDbType.Real, cancellationToken);
        await importer.WriteAsync(outcome.DetectMs, NpgsqlDbType.Real, cancellationToken);
        await importer.WriteAsync(outcome.InferenceMs, NpgsqlDbType.Real, cancellationToken);
        await importer.WriteAsync(outcome.BatchSize, NpgsqlDbType.Integer, cancellationToken);
    }

    private static void RecordCounts(long scored, long failed, long noFace, long faces)
    {
        FerTelemetry.ImagesScored.Add(scored);
        FerTelemetry.ImagesFailed.Add(failed);
        FerTelemetry.ImagesNoFace.Add(noFace);
        FerTelemetry.FacesScored.Add(faces);
    }

    private static string Truncate(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
}
