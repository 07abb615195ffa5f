using Fer.Core.Inference;

namespace Fer.Tests.Support;

/// <summary>One ONNX session on models/fer-cnn.onnx shared by a test class (sessions are thread-safe and slow to open).</summary>
public sealed class ShippedModel : IDisposable
{
    public EmotionClassifier Classifier { get; } = new(new ClassifierOptions { ModelPath = RepoPaths.ShippedModel, PreferCuda = false });

    public void Dispose() => Classifier.Dispose();
}
