using Fer.Core.Inference;

namespace Fer.Pipeline.Scoring;

/// <summary>Bound from <c>Fer:Model</c>: the ONNX model every host that classifies loads once.</summary>
public sealed class ModelOptions
{
    public const string Section = "Fer:Model";

    /// <summary>Relative paths are searched upwards from the working and app folders.</summary>
    public string Path { get; set; } = ModelLocator.DefaultModelPath;

    /// <summary>ONNX Runtime intra-op threads, 0 for its default.</summary>
    public int IntraOpThreads { get; set; }

    public bool PreferCuda { get; set; } = true;

    public ClassifierOptions ToClassifierOptions() => new() { ModelPath = Path, IntraOpThreads = IntraOpThreads, PreferCuda = PreferCuda };
}
