using Fer.Inference;

namespace Fer.Pipeline.Scoring;

/// <summary>Bound from <c>Fer:Model</c>: the ONNX model every host that classifies loads once.</summary>
public sealed class ModelOptions
{
    public const string Section = "Fer:Model";

    /// <summary>Relative paths are searched upwards from the working and app folders.</summary>
    public string Path { get; set; } = ModelLocator.DefaultModelPath;

    /// <summary>ONNX Runtime intra-op threads per run; 0 shares the cores among <see cref="MaxConcurrentRuns"/>.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Inference runs at once per process; 0 means two (one on a single core). Two half-width runs keep the cores
    /// busy while another batch downloads or persists, without every in-flight batch starting a full-width run.
    /// </summary>
    public int MaxConcurrentRuns { get; set; }

    /// <summary>Most faces per ONNX Runtime run on the CPU (a larger batch is split); 0: the classifier's default (64).</summary>
    public int RunBatchSize { get; set; }

    public bool PreferCuda { get; set; } = true;

    public ClassifierOptions ToClassifierOptions() => new()
    {
        ModelPath = Path,
        IntraOpThreads = IntraOpThreads,
        MaxConcurrentRuns = MaxConcurrentRuns > 0 ? MaxConcurrentRuns : Math.Min(2, Environment.ProcessorCount),
        RunBatchSize = RunBatchSize,
        PreferCuda = PreferCuda,
    };
}
