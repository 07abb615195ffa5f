namespace Fer.Inference;

public sealed record ClassifierOptions
{
    /// <summary>Path of the ONNX model; relative paths are resolved against the current directory, then the app folder.</summary>
    public string ModelPath { get; init; } = ModelLocator.DefaultModelPath;

    /// <summary>ONNX Runtime intra-op threads per run; 0 shares the cores among the concurrent runs (at least one each).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Most inference runs at once in this process (at least one); more callers wait for a free run.</summary>
    public int MaxConcurrentRuns { get; init; } = 1;

    public int ResolveMaxConcurrentRuns() => Math.Max(1, MaxConcurrentRuns);

    public int ResolveIntraOpThreads() => IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, Environment.ProcessorCount / ResolveMaxConcurrentRuns());

    /// <summary>Ask for the CUDA execution provider (only effective in the GPU build, -p:FerGpu=true).</summary>
    public bool PreferCuda { get; init; } = true;
}
