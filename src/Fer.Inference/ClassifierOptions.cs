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

    /// <summary>
    /// Most faces per ONNX Runtime run on the CPU; a larger batch is split into runs of this size (0: the default).
    /// Past ~64 48x48 faces a run's activations outgrow the CPU caches: `fer run` scored 8-11 % more images/s with
    /// batches of 128 run as two runs of 64 (bench/RESULTS.md, levers); a GPU takes the batch whole.
    /// </summary>
    public int RunBatchSize { get; init; }

    public const int DefaultCpuRunBatchSize = 64;

    public int ResolveRunBatchSize(bool onGpu) => RunBatchSize > 0 ? RunBatchSize : onGpu ? int.MaxValue : DefaultCpuRunBatchSize;

    /// <summary>Ask for the CUDA execution provider (only effective in the GPU build, -p:FerGpu=true).</summary>
    public bool PreferCuda { get; init; } = true;
}
