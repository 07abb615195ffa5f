// Times the report of a 1,000,000-image dataset on PostgreSQL.
//   dotnet run -c Release --project bench/ReportBench -- [--rows 1000000] [--connection <postgres>] [--keep]
// Creates a fresh database, bulk-loads synthetic images and predictions with binary COPY, then times
// DatasetReportQuery (the SQL aggregation) and the whole ReportService build + renderers.
using System.Diagnostics;
using Fer.Data;
using Fer.Data.Entities;
using Fer.Data.Reports;
using Fer.Reporting;
using Fer.Reporting.Rendering;
using Npgsql;
using NpgsqlTypes;

var rows = 1_000_000;
var server = Fer.Testing.TestServices.Postgres;
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows": rows = int.Parse(args[++i]); break;
        case "--connection": server = args[++i]; break;
        case "--keep": keep = true; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
var failedRows = rows / 50;   // 2 % of images failed
var pendingRows = rows / 200; // 0.5 % still pending

var name = "fer_bench_" + Guid.NewGuid().ToString("N")[..10];
await Fer.Testing.TestServices.CreateDatabaseAsync(name, server);
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 600 }.ConnectionString;
Console.WriteLine($"database {name}: {rows:N0} scored images, {failedRows:N0} failed, {pendingRows:N0} pending");
try
{
    long datasetId;
    await using (var db = FerDbContexts.ForPostgres(connectionString))
    {
        await Fer.Data.Persistence.DatabaseSchema.ApplyAsync(db, default);
        var dataset = new Dataset { Name = "bench-1m", Path = "bench-1m", Container = "bench", CreatedAt = DateTimeOffset.UtcNow, ResultsChangedAt = DateTimeOffset.UtcNow };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        datasetId = dataset.Id;
    }

    var load = Stopwatch.StartNew();
    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync();
        await LoadAsync(connection, datasetId, rows, failedRows, pendingRows);
        await new NpgsqlCommand("ANALYZE", connection).ExecuteNonQueryAsync();
    }
    Console.WriteLine($"bulk load (COPY) + ANALYZE: {load.Elapsed.TotalSeconds:0.0} s");

    await using (var db = FerDbContexts.ForPostgres(connectionString))
    {
        var query = new DatasetReportQuery(db);
        var timings = new List<double>();
        ReportAggregates? aggregates = null;
        for (var run = 0; run < 4; run++)
        {
            var sw = Stopwatch.StartNew();
            aggregates = await query.RunAsync(datasetId, mistakeLimit: 24);
            timings.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine($"report query run {run + 1}: {sw.Elapsed.TotalSeconds:0.000} s");
        }
        Console.WriteLine($"report query over {aggregates!.ScoredCount:N0} scored images: first {timings[0]:0.000} s, median of the next three {timings.Skip(1).Order().ElementAt(1):0.000} s");

        var whole = Stopwatch.StartNew();
        var report = await new ReportService(db, new ReportSettings()).BuildAsync(datasetId);
        var html = HtmlReportRenderer.Render(report);
        var json = JsonReportRenderer.Render(report);
        var markdown = MarkdownReportRenderer.Render(report);
        Console.WriteLine($"whole report (query + metrics + HTML/JSON/Markdown): {whole.Elapsed.TotalSeconds:0.000} s; accuracy {ReportFormat.Percent(report.Accuracy)}, " +
                          $"{html.Length / 1024} KiB HTML, {json.Length / 1024} KiB JSON, {markdown.Length / 1024} KiB Markdown");
    }
    return 0;
}
finally
{
    if (!keep)
        await Fer.Testing.TestServices.DropDatabaseAsync(name, server);
}

// Synthetic but shaped like FER2013: skewed class sizes, about 65 % right, confident answers more often right.
static async Task LoadAsync(NpgsqlConnection connection, long datasetId, int scored, int failed, int pending)
{
    double[] classShare = [0.138, 0.015, 0.143, 0.251, 0.169, 0.111, 0.173];
    var random = new Random(42);
    var now = DateTimeOffset.UtcNow;
    var total = scored + failed + pending;
    var truth = new short[total];
    var state = new ImageState[total];
    for (var i = 0; i < total; i++)
    {
        truth[i] = Pick(random, classShare);
        state[i] = i < scored ? ImageState.Scored : i < scored + failed ? ImageState.Failed : ImageState.Pending;
    }

    await using (var images = await connection.BeginBinaryImportAsync(
                     "COPY images (id, dataset_id, path, e_tag, size_bytes, true_label, state, failure_reason, discovered_at, published_at, completed_at) FROM STDIN (FORMAT BINARY)"))
    {
        for (var i = 0; i < total; i++)
        {
            await images.StartRowAsync();
            await images.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
            await images.WriteAsync(datasetId, NpgsqlDbType.Bigint);
            await images.WriteAsync($"{Fer.Core.Labels.EmotionLabels.Names[truth[i]]}/{i:0000000}.png", NpgsqlDbType.Varchar);
            await images.WriteAsync($"0x{i:x8}", NpgsqlDbType.Varchar);
            await images.WriteAsync(2300L, NpgsqlDbType.Bigint);
            await images.WriteAsync(truth[i], NpgsqlDbType.Smallint);
            await images.WriteAsync((short)state[i], NpgsqlDbType.Smallint);
            if (state[i] == ImageState.Failed) await images.WriteAsync("not a decodable image (unknown or corrupt format)", NpgsqlDbType.Varchar);
            else await images.WriteNullAsync();
            await images.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await images.WriteAsync(now, NpgsqlDbType.TimestampTz);
            if (state[i] == ImageState.Pending) await images.WriteNullAsync();
            else await images.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }
        await images.CompleteAsync();
    }

    await using var predictions = await connection.BeginBinaryImportAsync(
        "COPY predictions (image_id, angry, disgust, fear, happy, sad, surprise, neutral, predicted_label, confidence, model_name, model_sha256, worker_id, download_ms, decode_ms, inference_ms, batch_size, scored_at) FROM STDIN (FORMAT BINARY)");
    var scores = new float[7];
    for (var i = 0; i < scored; i++)
    {
        var right = random.NextDouble() < 0.65;
        var predicted = right ? truth[i] : (short)random.Next(7);
        var confidence = (float)(right ? 0.35 + 0.65 * Math.Sqrt(random.NextDouble()) : 0.2 + 0.6 * random.NextDouble());
        Array.Fill(scores, (1 - confidence) / 6);
        scores[predicted] = confidence;
        await predictions.StartRowAsync();
        await predictions.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
        foreach (var s in scores)
            await predictions.WriteAsync(s, NpgsqlDbType.Real);
        await predictions.WriteAsync(predicted, NpgsqlDbType.Smallint);
        await predictions.WriteAsync(confidence, NpgsqlDbType.Real);
        await predictions.WriteAsync("fer-cnn", NpgsqlDbType.Varchar);
        await predictions.WriteAsync("5f0c2d8e4a1b3c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f", NpgsqlDbType.Varchar);
        await predictions.WriteAsync($"worker-{i % 4}", NpgsqlDbType.Varchar);
        await predictions.WriteAsync(2.5f, NpgsqlDbType.Real);
        await predictions.WriteAsync(0.3f, NpgsqlDbType.Real);
        await predictions.WriteAsync(0.1f, NpgsqlDbType.Real);
        await predictions.WriteAsync(256, NpgsqlDbType.Integer);
        await predictions.WriteAsync(now, NpgsqlDbType.TimestampTz);
    }
    await predictions.CompleteAsync();
}

static short Pick(Random random, double[] shares)
{
    var x = random.NextDouble();
    for (short c = 0; c < shares.Length; c++)
    {
        x -= shares[c];
        if (x < 0) return c;
    }
    return (short)(shares.Length - 1);
}
