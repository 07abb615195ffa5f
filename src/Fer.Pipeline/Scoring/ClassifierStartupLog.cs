using Fer.Core.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fer.Pipeline.Scoring;

/// <summary>Loads the model when the host starts (a missing model fails fast, not on the first message) and says what it runs on.</summary>
public sealed class ClassifierStartupLog(EmotionClassifier classifier, ILogger<ClassifierStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Model {ModelName} ({Sha}) from {Path} on execution provider {Provider}, {Runs} concurrent runs of {Threads} threads",
            classifier.ModelName, classifier.ModelSha256[..12], classifier.ModelPath, classifier.ExecutionProvider,
            classifier.MaxConcurrentRuns, classifier.IntraOpThreads);
        if (classifier.ProviderNote is { } note)
            logger.LogInformation("Execution provider note: {Note}", note);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
