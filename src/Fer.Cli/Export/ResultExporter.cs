using System.Buffers;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Parquet;
using Parquet.Schema;

namespace Fer.Cli.Export;

/// <summary>
/// Writes <see cref="ExportRow"/>s as CSV (RFC 4180), JSON lines or Parquet while they are read: memory stays that of
/// one write buffer (one row group for Parquet) however many rows there are.
/// </summary>
public static class ResultExporter
{
    /// <summary>Rows per Parquet row group: the one thing Parquet must hold in memory before writing (a few MB).</summary>
    public const int ParquetRowGroupSize = 50_000;

    private const int TextChunkChars = 64 * 1024;

    /// <returns>the number of rows written</returns>
    public static async Task<long> WriteCsvAsync(IAsyncEnumerable<ExportRow> rows, TextWriter output, CancellationToken cancellationToken)
    {
        // RFC 4180: a path with a comma, a quote or a line break is quoted, inner quotes doubled; numbers are invariant.
        await using var csv = CsvWriter.Create(output, options: null, leaveOpen: true);
        foreach (var column in ExportRow.Columns)
            csv.WriteField(column);
        await csv.EndRecordAsync(cancellationToken);
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            csv.WriteField(row.Path);
            csv.WriteField(row.FaceIndex, default);
            csv.WriteField(row.BoxX, default);
            csv.WriteField(row.BoxY, default);
            csv.WriteField(row.BoxWidth, default);
            csv.WriteField(row.BoxHeight, default);
            csv.WriteField(row.Label);
            csv.WriteField(row.Confidence, default);
            for (var k = 0; k < ExportRow.ScoreCount; k++)
                csv.WriteField(row.Score(k), default);
            csv.WriteField(row.ScoredAtText);
            csv.WriteField(row.ModelName);
            csv.WriteField(row.ModelSha256);
            await csv.EndRecordAsync(cancellationToken);
            count++;
        }
        await csv.FlushAsync(cancellationToken);
        return count;
    }

    /// <returns>the number of rows written</returns>
    public static async Task<long> WriteJsonLinesAsync(IAsyncEnumerable<ExportRow> rows, TextWriter output, CancellationToken cancellationToken)
    {
        // One flat object per line with the CSV's column names; lines are gathered into chunks so a console writer
        // that flushes on every write is not asked to flush per row.
        var utf8 = new ArrayBufferWriter<byte>(1024);
        await using var json = new Utf8JsonWriter(utf8);
        var chunk = new StringBuilder(TextChunkChars + 1024);
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            utf8.ResetWrittenCount();
            json.Reset(utf8);
            WriteObject(json, row);
            json.Flush();
            chunk.Append(Encoding.UTF8.GetString(utf8.WrittenSpan)).Append('\n');
            count++;
            if (chunk.Length >= TextChunkChars)
            {
                await output.WriteAsync(chunk, cancellationToken);
                chunk.Clear();
            }
        }
        await output.WriteAsync(chunk, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return count;
    }

    private static void WriteObject(Utf8JsonWriter json, ExportRow row)
    {
        json.WriteStartObject();
        json.WriteString("path", row.Path);
        json.WriteNumber("face_index", row.FaceIndex);
        json.WriteNumber("box_x", row.BoxX);
        json.WriteNumber("box_y", row.BoxY);
        json.WriteNumber("box_width", row.BoxWidth);
        json.WriteNumber("box_height", row.BoxHeight);
        json.WriteString("label", row.Label);
        json.WriteNumber("confidence", row.Confidence);
        for (var k = 0; k < ExportRow.ScoreCount; k++)
            json.WriteNumber(Core.Labels.EmotionLabels.Names[k], row.Score(k));
        json.WriteString("scored_at", row.ScoredAtText);
        json.WriteString("model_name", row.ModelName);
        json.WriteString("model_sha256", row.ModelSha256);
        json.WriteEndObject();
    }

    private static readonly DataField<string> PathField = new("path");
    private static readonly DataField<int> FaceIndexField = new("face_index");
    private static readonly DataField<int>[] BoxFields = [new("box_x"), new("box_y"), new("box_width"), new("box_height")];
    private static readonly DataField<string> LabelField = new("label");
    private static readonly DataField<float> ConfidenceField = new("confidence");
    private static readonly DataField<float>[] ScoreFields = Core.Labels.EmotionLabels.Names.Select(n => new DataField<float>(n)).ToArray();
    private static readonly DateTimeDataField ScoredAtField = new("scored_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis);
    private static readonly DataField<string> ModelNameField = new("model_name");
    private static readonly DataField<string> ModelShaField = new("model_sha256");

    public static ParquetSchema ParquetSchema { get; } = new(
        [PathField, FaceIndexField, .. BoxFields, LabelField, ConfidenceField, .. ScoreFields, ScoredAtField, ModelNameField, ModelShaField]);

    /// <param name="output">a writable, seekable stream (a file): Parquet's footer points back into it</param>
    /// <returns>the number of rows written</returns>
    public static async Task<long> WriteParquetAsync(IAsyncEnumerable<ExportRow> rows, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = await ParquetWriter.CreateAsync(ParquetSchema, output, cancellationToken: cancellationToken);
        var group = new List<ExportRow>(ParquetRowGroupSize);
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            group.Add(row);
            count++;
            if (group.Count == ParquetRowGroupSize)
            {
                await WriteRowGroupAsync(writer, group, cancellationToken);
                group.Clear();
            }
        }
        // An empty export still gets one (empty) row group, so readers see the columns.
        if (group.Count > 0 || count == 0)
            await WriteRowGroupAsync(writer, group, cancellationToken);
        return count;
    }

    private static async Task WriteRowGroupAsync(ParquetWriter writer, List<ExportRow> group, CancellationToken cancellationToken)
    {
        using var rowGroup = writer.CreateRowGroup();
        await rowGroup.WriteAsync(PathField, group.Select(r => r.Path).ToArray());
        await rowGroup.WriteAsync<int>(FaceIndexField, group.Select(r => r.FaceIndex).ToArray(), cancellationToken: cancellationToken);
        Func<ExportRow, int>[] boxes = [r => r.BoxX, r => r.BoxY, r => r.BoxWidth, r => r.BoxHeight];
        for (var b = 0; b < boxes.Length; b++)
            await rowGroup.WriteAsync<int>(BoxFields[b], group.Select(boxes[b]).ToArray(), cancellationToken: cancellationToken);
        await rowGroup.WriteAsync(LabelField, group.Select(r => r.Label).ToArray());
        await rowGroup.WriteAsync<float>(ConfidenceField, group.Select(r => r.Confidence).ToArray(), cancellationToken: cancellationToken);
        for (var k = 0; k < ScoreFields.Length; k++)
        {
            var emotion = k;
            await rowGroup.WriteAsync<float>(ScoreFields[k], group.Select(r => r.Score(emotion)).ToArray(), cancellationToken: cancellationToken);
        }
        await rowGroup.WriteAsync<DateTime>(ScoredAtField, group.Select(r => r.ScoredAt.UtcDateTime).ToArray(), cancellationToken: cancellationToken);
        await rowGroup.WriteAsync(ModelNameField, group.Select(r => r.ModelName).ToArray());
        await rowGroup.WriteAsync(ModelShaField, group.Select(r => r.ModelSha256).ToArray());
        rowGroup.CompleteValidate();
    }
}
