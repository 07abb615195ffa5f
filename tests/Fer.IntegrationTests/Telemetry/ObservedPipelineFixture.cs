extern alias IngestHost;
extern alias WorkerHost;

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fer.Pipeline;
using IngestHost::Fer.Ingest;
using WorkerHost::Fer.Worker;
using OpenTelemetry.Trace;

namespace Fer.IntegrationTests.Telemetry;

/// <summary>
/// The ingest and worker hosts composed exactly as their Program.cs (service defaults included), each with an in-memory
/// span exporter and a capturing log provider, run once over a few faces and a corrupt file on the real services.
/// </summary>
public sealed class ObservedPipelineFixture : IAsyncLifetime
{
    public const string Dataset = "faces";
    public const string CorruptPath = "angry/corrupt.png";
    public const int FaceCount = 3;

    public PostgresDatabase Database { get; } = new();
    private readonly PipelineNames _names = new("fer-otel-");
    public string Container => _names.Container;
    public string EntityPrefix => _names.EntityPrefix;
    public List<ImageRecord> Images { get; private set; } = [];
    public IngestResult Submit { get; private set; } = null!;
    public CapturingLoggerProvider WorkerLogs { get; } = new();
    public HttpClient WorkerHttp { get; private set; } = null!;

    /// <summary>Every measurement of the pipeline's instruments while the fixture ran (other test classes' included).</summary>
    public List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> Measurements { get; } = [];

    private readonly LockedCollection<Activity> _spans = new();
    private readonly MeterListener _meters = new();
    private WebApplication? _ingest;
    private WebApplication? _worker;
    private HttpClient? _ingestHttp;

    public async Task InitializeAsync()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FerTelemetry.Name)
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();

        await Database.InitializeAsync();
        var blobs = _names.Blobs;
        await blobs.CreateAsync();
        await Fer2013Images.UploadAsync(blobs, Dataset, Fer2013Images.ReadRows(RepoPaths.PublicTestSlice).Take(FaceCount));
        await blobs.UploadBlobAsync($"{Dataset}/{CorruptPath}", BinaryData.FromBytes("no pixels here"u8.ToArray()));

        var settings = PipelineHosts.BaseSettings(Database.ConnectionString, EntityPrefix);
        (_worker, var workerAddress) = await StartAsync(settings, _spans, WorkerLogs, builder => builder.Services.AddFerWorker(builder.Configuration), _ => { },
            new() { ["Fer:Worker:WorkerId"] = "observed-worker", ["Fer:Worker:MessageLimit"] = "16", ["Fer:Worker:TimeLimit"] = "00:00:00.200" });
        (_ingest, var ingestAddress) = await StartAsync(settings, _spans, null, builder => builder.Services.AddFerIngest(builder.Configuration), app => app.MapFerIngest(),
            PipelineHosts.SubmitOnlyIngestSettings(Container));
        WorkerHttp = new HttpClient { BaseAddress = workerAddress };
        _ingestHttp = new HttpClient { BaseAddress = ingestAddress, Timeout = TimeSpan.FromMinutes(1) };

        var response = await _ingestHttp.PostAsync($"/datasets/{Container}/{Dataset}/submit", null);
        response.EnsureSuccessStatusCode();
        Submit = (await response.Content.ReadFromJsonAsync<IngestResult>())!;
        // Generous: the whole suite runs beside this fixture, and a 5,000-image `fer run` test can hold both cores.
        await WaitForTerminalRowsAsync(TimeSpan.FromMinutes(3));
        // The image spans end just after the rows are committed; give the exporters a moment.
        await WaitUntilAsync(() => Spans().Count(s => s.OperationName == "score-image" && s.GetTagItem(FerTelemetry.Tags.Outcome) is not null) >= Images.Count,
            TimeSpan.FromSeconds(15));
    }

    /// <summary>Spans both hosts exported, once each (both providers listen to every source in this process).</summary>
    public List<Activity> Spans() => _spans.Snapshot().DistinctBy(s => (s.TraceId, s.SpanId)).ToList();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (Measurements)
            Measurements.Add((instrument.Name, value, tags.ToArray()));
    }

    private static async Task<(WebApplication App, Uri Address)> StartAsync(Dictionary<string, string?> settings, ICollection<Activity> spans,
        CapturingLoggerProvider? logs, Action<WebApplicationBuilder> addPipeline, Action<WebApplication> mapPipeline, Dictionary<string, string?> extra)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(extra);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Fer.Pipeline"] = "Debug",
            // No OTLP endpoint here: the in-memory exporter below needs the spans recorded.
            ["OTEL_TRACES_SAMPLER"] = "parentbased_always_on",
        });
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        if (logs is not null)
            builder.Logging.AddProvider(logs);
        addPipeline(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapPipeline(app);
        await app.StartAsync();
        return (app, new Uri(app.Urls.First()));
    }

    private async Task WaitForTerminalRowsAsync(TimeSpan timeout)
    {
        await Database.UntilAsync(async db =>
        {
            Images = await db.Images.AsNoTracking().Where(i => i.DatasetId == Submit.DatasetId).ToListAsync();
            return Images.Count == FaceCount + 1 && Images.All(i => i.State != ImageState.Pending);
        }, timeout, "every image of the folder to be terminal");
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout) => WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout) => Poll.UntilAsync(condition, timeout, "the condition");

    public async Task DisposeAsync()
    {
        _meters.Dispose(); // first: what the hosts measure while they shut down is no part of the run
        _ingestHttp?.Dispose();
        WorkerHttp?.Dispose();
        if (_ingest is not null)
            await _ingest.DisposeAsync();
        if (_worker is not null)
            await _worker.DisposeAsync();
        await Database.DisposeAsync();
        await _names.DisposeAsync();
    }
}
