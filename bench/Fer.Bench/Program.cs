using System.Diagnostics;
using Azure.Storage.Blobs;
using Fer.Bench;
using Fer.Inference;
using Fer.Pipeline.Scoring;

// fer-bench [--quick] [--model-only] [--model FILE] [--images N] [--workers 1,2,4] [--classify N] [--out DIR] [--repo ROOT]
// Prints the table and writes DIR/results.json and DIR/RESULTS.md. bench/run.sh builds the hosts first and runs this.
// fer-bench --detection [--quick]: only the face-detection rows (photos/s, crops unchanged), printed; no services, no files.
// fer-bench --faces [--quick]: BlazeFace and Haar on the labelled photos of tests/fixtures/face-photos (recall, precision,
// photos/s), BlazeFace's threshold curve, and the effect of alignment and of the crop margin on emotion accuracy; printed, no services (docs/faces.md).
if (!BenchSettings.TryParse(args, out var settings, out var exitCode))
{
    Environment.ExitCode = exitCode; // --help, or an argument it does not know: nothing measured
    return;
}
if (settings.Faces)
{
    FaceSetBench.Run(settings.RepoRoot, BenchImages.Load(settings.FixturePath), settings.MeasureFor, settings.Quick, Console.Out);
    return;
}
if (settings.Detection)
{
    var faces = BenchImages.Load(settings.FixturePath);
    Console.WriteLine("| row | per second | note |");
    Console.WriteLine("| --- | ---: | --- |");
    foreach (var row in DetectionBench.Run(faces, settings.RepoRoot, 1280, 720, 3, settings.MeasureFor))
        Console.WriteLine($"| {row.Name} | {row.PerSecond:0.0} | {row.Note} |");
    return;
}
var total = Stopwatch.StartNew();
Directory.CreateDirectory(settings.WorkDirectory);
Directory.CreateDirectory(settings.OutputDirectory);
void Log(string message) => Console.Error.WriteLine($"[bench {total.Elapsed:mm\\:ss}] {message}");

var images = BenchImages.Load(settings.FixturePath);
// One session run per call (no split into RunBatchSize runs): the sweep measures the model itself at each batch size.
var bareOptions = new ClassifierOptions { PreferCuda = false, RunBatchSize = int.MaxValue };
using var classifier = new EmotionClassifier(settings.ModelPath is { } modelPath ? bareOptions with { ModelPath = modelPath } : bareOptions);
var results = new BenchResults
{
    Mode = settings.Quick ? "quick" : "full",
    StartedAt = DateTimeOffset.UtcNow,
    Machine = MachineInfo.Read(),
    Model = new { name = classifier.ModelName, sha256 = classifier.ModelSha256, path = Path.GetRelativePath(settings.RepoRoot, classifier.ModelPath),
        bytes = new FileInfo(classifier.ModelPath).Length, provider = classifier.ExecutionProvider, intra_op_threads = classifier.IntraOpThreads },
    SettingsOverrides = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("Fer__", StringComparison.Ordinal))
        .Order().ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k) ?? ""),
    HostsBuild = settings.HostsBuild,
};

Log($"bare: batch sizes {string.Join(", ", settings.BatchSizes)}, {settings.MeasureFor.TotalSeconds} s each");
results.BareByBatchSize = InMemoryBenches.Bare(classifier, images, settings.BatchSizes, settings.MeasureFor);
var best = results.BareByBatchSize.MaxBy(r => r.ImagesPerSecond)!;
(results.Bare, results.BareBestBatchSize) = (best.ImagesPerSecond, best.BatchSize);
Log($"bare: {results.Bare:0} images/s at batch {best.BatchSize}");
// The worker runs two half-width inferences at once; if that layout is faster on bare tensors, it is the ceiling.
var workerLayout = new ModelOptions().ToClassifierOptions() with { ModelPath = classifier.ModelPath, PreferCuda = false, RunBatchSize = int.MaxValue };
if (workerLayout.ResolveMaxConcurrentRuns() > 1)
{
    using var concurrentClassifier = new EmotionClassifier(workerLayout);
    results.BareConcurrentRuns = concurrentClassifier.MaxConcurrentRuns;
    results.BareConcurrentThreads = concurrentClassifier.IntraOpThreads;
    results.BareConcurrent = InMemoryBenches.BareConcurrent(concurrentClassifier, images, best.BatchSize, concurrentClassifier.MaxConcurrentRuns, settings.MeasureFor);
    Log($"bare: {results.BareConcurrent:0} images/s as {results.BareConcurrentRuns} concurrent runs of {results.BareConcurrentThreads} threads at batch {best.BatchSize}");
    results.Bare = Math.Max(results.Bare, results.BareConcurrent);
}
if (settings.ModelOnly)
{
    var path = Path.Combine(settings.OutputDirectory, "model-throughput.json");
    File.WriteAllText(path, results.ToJson());
    Console.WriteLine($"bare {results.Bare:0} images/s; wrote {path}");
    return;
}

results.Decode = InMemoryBenches.Decode(images, Environment.ProcessorCount, settings.MeasureFor);
results.DecodeSingleThread = InMemoryBenches.Decode(images, 1, settings.MeasureFor);
Log($"decode: {results.Decode:0} images/s ({results.DecodeSingleThread:0} on one thread)");

if (!settings.EmbeddedOnly)
    await MeasureDistributedAsync();

async Task MeasureDistributedAsync()
{
    var container = new BlobServiceClient(TestServices.Blob).GetBlobContainerClient(settings.Container);
    Log($"blob dataset: {settings.ImageCount} images in {settings.Container}");
    var folder = await BlobDataset.EnsureUploadedAsync(container, images, settings.ImageCount);

    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
    var distributed = new DistributedBench(settings, http);
    var lastWorkers = settings.WorkerCounts.Last();
    foreach (var workers in settings.WorkerCounts)
    {
        Log($"distributed_{workers}: {settings.ImageCount} images, {workers} worker process(es)");
        // The /classify row runs on the last row's ingest host once its workers have stopped, so nothing else competes.
        Func<HostProcess, Task>? classify = workers == lastWorkers
            ? async ingest => results.Classify = await ClassifyLatencyBench.RunAsync(http, ingest.Address, images, settings.ClassifyRequests)
            : null;
        var row = await distributed.RunAsync(folder, workers, classify);
        if (row.Scored != row.Images)
            throw new InvalidOperationException($"distributed_{workers}: {row.Scored} of {row.Images} scored, {row.Failed} failed");
        results.DistributedRows.Add(row);
        switch (workers)
        {
            case 1: results.Distributed1 = row.ImagesPerSecond; break;
            case 2: results.Distributed2 = row.ImagesPerSecond; break;
            case 4: results.Distributed4 = row.ImagesPerSecond; break;
        }
        Log($"distributed_{workers}: {row.ImagesPerSecond:0} images/s ({row.Seconds:0.0} s), peak RSS {string.Join("/", row.WorkerStats.Select(w => $"{w.PeakRssMiB:0}"))} MiB");
    }
    if (results.Classify is { } latency)
    {
        (results.ClassifyP50Ms, results.ClassifyP99Ms) = (latency.P50Ms, latency.P99Ms);
        Log($"classify: p50 {latency.P50Ms:0.0} ms, p99 {latency.P99Ms:0.0} ms");
    }
}

Log($"embedded: {settings.ImageCount} images from a local folder");
var localFolder = images.WriteFolder(settings.WorkDirectory, settings.ImageCount);
var embedded = await EmbeddedBench.RunAsync(localFolder, settings.WorkDirectory, classifier.ModelPath);
if (embedded.Scored != settings.ImageCount)
    throw new InvalidOperationException($"embedded: {embedded.Scored} of {settings.ImageCount} scored, {embedded.Failed} failed");
(results.EmbeddedRow, results.Embedded) = (embedded, embedded.ImagesPerSecond);
Log($"embedded: {embedded.ImagesPerSecond:0} images/s");

results.TotalSeconds = total.Elapsed.TotalSeconds;
File.WriteAllText(Path.Combine(settings.OutputDirectory, "results.json"), results.ToJson());
results.WriteMarkdown(Path.Combine(settings.OutputDirectory, "RESULTS.md"));
Console.WriteLine(results.ToMarkdownTable());
Console.WriteLine($"wrote {Path.Combine(settings.OutputDirectory, "results.json")} and RESULTS.md");
