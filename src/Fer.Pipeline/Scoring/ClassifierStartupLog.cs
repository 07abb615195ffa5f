using Fer.Core.Faces;
using Fer.Core.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Pipeline.Scoring;

/// <summary>Loads the model when the host starts (a missing model fails fast, not on the first message) and says what it runs on.</summary>
public sealed class ClassifierStartupLog(EmotionClassifier classifier, FaceLocator faces, ILogger<ClassifierStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Model {ModelName} ({Sha}) from {Path} on execution provider {Provider}, {Runs} concurrent runs of {Threads} threads",
            classifier.ModelName, classifier.ModelSha256[..12], classifier.ModelPath, classifier.ExecutionProvider,
            classifier.MaxConcurrentRuns, classifier.IntraOpThreads);
        if (classifier.ProviderNote is { } note)
            logger.LogInformation("Execution provider note: {Note}", note);
        // The detector (native OpenCV) loads on the first photo, so crop-only work never needs it.
        logger.LogInformation("Faces: mode {Mode}, crops up to {CropMaxSide} px, cascade {Cascade}",
            faces.Options.Mode, faces.Options.CropMaxSide, faces.Options.CascadePath);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
