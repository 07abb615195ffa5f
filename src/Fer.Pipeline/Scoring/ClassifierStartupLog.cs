using Fer.Inference.Faces;
using Fer.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// Loads the model when the host starts and says what it runs on. A missing or corrupt model fails fast, not on the
/// first message: this service is registered before the bus, so the host stops before a consumer exists (nothing is
/// consumed) and before the web server listens (readiness never answers 200), after one critical log line.
/// </summary>
public sealed class ClassifierStartupLog(IServiceProvider services, FaceLocator faces, ILogger<ClassifierStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EmotionClassifier classifier;
        try
        {
            classifier = services.GetRequiredService<EmotionClassifier>();
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            logger.LogCritical("Cannot load the emotion model, stopping before consuming any message: {Reason}. Set Fer:Model:Path to a valid ONNX file", ex.Message);
            throw;
        }
        logger.LogInformation("Model {ModelName} ({Sha}) from {Path} on execution provider {Provider}, {Runs} concurrent runs of {Threads} threads, at most {RunBatch} faces per run",
            classifier.ModelName, classifier.ModelSha256[..12], classifier.ModelPath, classifier.ExecutionProvider,
            classifier.MaxConcurrentRuns, classifier.IntraOpThreads, classifier.RunBatchSize == int.MaxValue ? "all" : classifier.RunBatchSize);
        if (classifier.ProviderNote is { } note)
            logger.LogInformation("Execution provider note: {Note}", note);
        // The detector (native OpenCV) loads on the first photo, so crop-only work never needs it.
        logger.LogInformation("Faces: mode {Mode}, crops up to {CropMaxSide} px, detector {Detector} ({DetectorModel})",
            faces.Options.Mode, faces.Options.CropMaxSide, faces.Options.Detector,
            faces.Options.Detector == Fer.Inference.Faces.FaceDetectorKind.Haar ? faces.Options.CascadePath : faces.Options.BlazeFaceModelPath);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
