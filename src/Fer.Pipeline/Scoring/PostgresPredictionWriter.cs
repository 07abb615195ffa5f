using System.Diagnostics;
using Fer.Contracts;
using Fer.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// PostgreSQL writer: binary COPY of the micro-batch into a session temp table, then one statement that moves
/// matching Pending rows to their terminal state, upserts predictions, records failures and bumps the datasets,
/// all in one transaction.
/// </summary>
public sealed class PostgresPredictionWriter(NpgsqlDataSource dataSource) : IPredictionWriter
{
    private const int MaxReasonLength = 2048;

    // ON COMMIT DELETE ROWS keeps the pooled connection's temp table empty between batches.
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS score_staging (
            image_id bigint NOT NULL, e_tag text NOT NULL, failed boolean NOT NULL, reason text,
            angry real, disgust real, fear real, happy real, sad real, surprise real, neutral real,
            predicted_label smallint, confidence real,
            download_ms real NOT NULL, decode_ms real NOT NULL, inference_ms real NOT NULL, batch_size integer NOT NULL
        ) ON COMMIT DELETE ROWS
        """;

    private const string CopyStaging = """
        COPY score_staging (image_id, e_tag, failed, reason, angry, disgust, fear, happy, sad, surprise, neutral,
                            predicted_label, confidence, download_ms, decode_ms, inference_ms, batch_size)
        FROM STDIN (FORMAT BINARY)
        """;

    // Data-modifying CTEs share one snapshot; `moved` is the guard: only Pending rows with the same ETag count.
    private const string Apply = """
        WITH moved AS (
            UPDATE images i
               SET state = CASE WHEN s.failed THEN 2 ELSE 1 END,
                   failure_reason = s.reason,
                   completed_at = @now
              FROM score_staging s
             WHERE i.id = s.image_id AND i.state = 0 AND i.e_tag = s.e_tag
         RETURNING i.id, i.dataset_id
        ), scored AS (
            INSERT INTO predictions (image_id, angry, disgust, fear, happy, sad, surprise, neutral, predicted_label, confidence,
                                     model_name, model_sha256, worker_id, download_ms, decode_ms, inference_ms, batch_size, scored_at)
            SELECT s.image_id, s.angry, s.disgust, s.fear, s.happy, s.sad, s.surprise, s.neutral, s.predicted_label, s.confidence,
                   @model_name, @model_sha256, @worker_id, s.download_ms, s.decode_ms, s.inference_ms, s.batch_size, @now
              FROM score_staging s JOIN moved m ON m.id = s.image_id
             WHERE NOT s.failed
            ON CONFLICT (image_id) DO UPDATE SET
                angry = EXCLUDED.angry, disgust = EXCLUDED.disgust, fear = EXCLUDED.fear, happy = EXCLUDED.happy,
                sad = EXCLUDED.sad, surprise = EXCLUDED.surprise, neutral = EXCLUDED.neutral,
                predicted_label = EXCLUDED.predicted_label, confidence = EXCLUDED.confidence,
                model_name = EXCLUDED.model_name, model_sha256 = EXCLUDED.model_sha256, worker_id = EXCLUDED.worker_id,
                download_ms = EXCLUDED.download_ms, decode_ms = EXCLUDED.decode_ms, inference_ms = EXCLUDED.inference_ms,
                batch_size = EXCLUDED.batch_size, scored_at = EXCLUDED.scored_at
            RETURNING image_id
        ), failures AS (
            INSERT INTO image_failures (image_id, reason, permanent, worker_id, occurred_at)
            SELECT s.image_id, s.reason, true, @worker_id, @now
              FROM score_staging s JOIN moved m ON m.id = s.image_id
             WHERE s.failed
            RETURNING image_id
        ), touched AS (
            UPDATE datasets d SET results_changed_at = @now
             WHERE d.id IN (SELECT dataset_id FROM moved)
            RETURNING d.id
        )
        SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM scored), (SELECT count(*) FROM failures), (SELECT count(*) FROM touched)
        """;

    public async Task<IReadOnlySet<long>> FindPendingAsync(IReadOnlyCollection<ScoreImage> messages, CancellationToken cancellationToken)
    {
        var expected = messages.ToDictionary(m => m.ImageId, m => m.ETag);
        await using var command = dataSource.CreateCommand("SELECT id, e_tag FROM images WHERE id = ANY(@ids) AND state = 0");
        command.Parameters.AddWithValue("ids", expected.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new HashSet<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (expected[id] == reader.GetString(1))
                pending.Add(id);
        }
        return pending;
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
            RecordCounts(reader.GetInt64(1), reader.GetInt64(2));
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
        await importer.StartRowAsync(cancellationToken);
        await importer.WriteAsync(outcome.ImageId, NpgsqlDbType.Bigint, cancellationToken);
        await importer.WriteAsync(outcome.ETag, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(!outcome.Scored, NpgsqlDbType.Boolean, cancellationToken);
        if (outcome.FailureReason is null)
            await importer.WriteNullAsync(cancellationToken);
        else
            await importer.WriteAsync(Truncate(outcome.FailureReason), NpgsqlDbType.Text, cancellationToken);
        if (outcome.Prediction is { } prediction)
        {
            foreach (var score in prediction.Scores)
                await importer.WriteAsync(score, NpgsqlDbType.Real, cancellationToken);
            await importer.WriteAsync((short)prediction.Label, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(prediction.Confidence, NpgsqlDbType.Real, cancellationToken);
        }
        else
        {
            for (var i = 0; i < 9; i++)
                await importer.WriteNullAsync(cancellationToken);
        }
        await importer.WriteAsync(outcome.DownloadMs, NpgsqlDbType.Real, cancellationToken);
        await importer.WriteAsync(outcome.DecodeMs, NpgsqlDbType.Real, cancellationToken);
        await importer.WriteAsync(outcome.InferenceMs, NpgsqlDbType.Real, cancellationToken);
        await importer.WriteAsync(outcome.BatchSize, NpgsqlDbType.Integer, cancellationToken);
    }

    private static void RecordCounts(long scored, long failed)
    {
        FerTelemetry.ImagesScored.Add(scored);
        FerTelemetry.ImagesFailed.Add(failed);
    }

    private static string Truncate(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
}
