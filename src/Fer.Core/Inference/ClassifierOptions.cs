namespace Fer.Core.Inference;

public sealed record ClassifierOptions
{
    /// <summary>Path of the ONNX model; relative paths are resolved against the current directory, then the app folder.</summary>
    public string ModelPath { get; init; } = ModelLocator.DefaultModelPath;

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Ask for the CUDA execution provider (only effective in the GPU build, -p:FerGpu=true).</summary>
    public bool PreferCuda { get; init; } = true;
}
