namespace Fer.Tests.Support;

/// <summary>One ONNX session on the default model shared by a test class (sessions are thread-safe and slow to open).</summary>
public sealed class ShippedModel : IDisposable
{
    public EmotionClassifier Classifier { get; } = new(new ClassifierOptions { ModelPath = RepoPaths.ShippedModel, PreferCuda = false });

    public void Dispose() => Classifier.Dispose();
}

/// <summary>One ONNX session on the float32 export (models/fer-cnn.onnx), whose parity with PyTorch is exact.</summary>
public sealed class Float32Model : IDisposable
{
    public EmotionClassifier Classifier { get; } = new(new ClassifierOptions { ModelPath = RepoPaths.Float32Model, PreferCuda = false });

    public void Dispose() => Classifier.Dispose();
}
