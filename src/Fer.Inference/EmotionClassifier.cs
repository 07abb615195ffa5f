using System.Buffers;
using System.Security.Cryptography;
using Fer.Inference.Faces;
using Fer.Core.Imaging;
using Fer.Core.Labels;
using Microsoft.ML.OnnxRuntime;

namespace Fer.Inference;

/// <summary>
/// One long-lived ONNX Runtime session; classifies a whole micro-batch in one call (on the CPU, in runs of at most
/// <see cref="RunBatchSize"/> faces).
/// Input: [N,1,48,48] floats from <see cref="FacePreprocessor"/>; output: [N,7] probabilities.
/// Thread-safe: ONNX Runtime sessions allow concurrent Run calls; at most <see cref="MaxConcurrentRuns"/> run at once.
/// </summary>
public sealed class EmotionClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionRunGuard _guard;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly SemaphoreSlim _runs;

    public EmotionClassifier(ClassifierOptions? options = null)
    {
        options ??= new ClassifierOptions();
        ModelPath = ModelLocator.Resolve(options.ModelPath);
        if (!File.Exists(ModelPath))
            throw new FileNotFoundException($"model file not found: {ModelPath}", ModelPath);
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        MaxConcurrentRuns = options.ResolveMaxConcurrentRuns();
        IntraOpThreads = options.ResolveIntraOpThreads();
        _runs = new SemaphoreSlim(MaxConcurrentRuns, MaxConcurrentRuns);
        sessionOptions.IntraOpNumThreads = IntraOpThreads;
        ExecutionProvider = "CPU";
#if FER_GPU
        if (options.PreferCuda)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(0);
                ExecutionProvider = "CUDA";
            }
            catch (Exception ex)
            {
                ProviderNote = $"CUDA execution provider unavailable, using CPU: {ex.Message}";
            }
        }
#else
        if (options.PreferCuda)
            ProviderNote = "CPU build of ONNX Runtime; build with -p:FerGpu=true for CUDA";
#endif
        try
        {
            _session = new InferenceSession(ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            // ONNX Runtime's own text ("Protobuf parsing failed") does not say which file or what to do.
            throw new InvalidDataException($"model file is not a loadable ONNX model: {ModelPath} ({ex.Message.ReplaceLineEndings(" ").Trim()})", ex);
        }
        _guard = new SessionRunGuard(_session);
        RunBatchSize = options.ResolveRunBatchSize(onGpu: ExecutionProvider == "CUDA");
        _inputName = _session.InputMetadata.Keys.First();
        _outputName = _session.OutputMetadata.Keys.First();
        var metadata = _session.ModelMetadata.CustomMetadataMap;
        ModelName = metadata.TryGetValue("model_name", out var name) ? name : Path.GetFileNameWithoutExtension(ModelPath);
        ModelSha256 = Sha256Of(ModelPath);
    }

    public string ModelPath { get; }
    public string ModelName { get; }
    public string ModelSha256 { get; }

    public int MaxConcurrentRuns { get; }
    public int IntraOpThreads { get; }

    /// <summary>Most faces per session run; a larger call is split into runs of this size (see <see cref="ClassifierOptions.RunBatchSize"/>).</summary>
    public int RunBatchSize { get; }

    /// <summary>"CUDA" or "CPU": what this session runs on.</summary>
    public string ExecutionProvider { get; private set; }

    /// <summary>Why the preferred provider was not used, for the host to log; null when nothing to say.</summary>
    public string? ProviderNote { get; }

    /// <summary>Classifies <paramref name="count"/> preprocessed faces laid out back to back in <paramref name="pixels"/>.</summary>
    public EmotionPrediction[] Classify(float[] pixels, int count)
    {
        if (count == 0)
            return [];
        if (pixels.Length < count * FacePreprocessor.PixelCount)
            throw new ArgumentException($"need {count * FacePreprocessor.PixelCount} floats for {count} images, got {pixels.Length}");
        var scores = ClassifyRaw(pixels, count);
        var predictions = new EmotionPrediction[count];
        for (var i = 0; i < count; i++)
            predictions[i] = new EmotionPrediction(scores.AsSpan(i * EmotionLabels.Count, EmotionLabels.Count).ToArray());
        return predictions;
    }

    /// <summary>Classifies located faces in one run, packed back to back in their order; empty for no face.</summary>
    public EmotionPrediction[] Classify(IReadOnlyList<LocatedFace> faces)
    {
        // A pooled buffer: a micro-batch's pixels (1.2 MB for 128 faces) would otherwise be a fresh large-object-heap
        // array per batch, zeroed and later collected by a gen-2 GC.
        var pixels = ArrayPool<float>.Shared.Rent(faces.Count * FacePreprocessor.PixelCount);
        try
        {
            for (var i = 0; i < faces.Count; i++)
                FacePreprocessor.FromGray48(faces[i].Gray48, pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
            return Classify(pixels, faces.Count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pixels);
        }
    }

    /// <summary>Row-major [count,7] probabilities, without per-image objects (benchmarks, evaluation).</summary>
    public float[] ClassifyRaw(float[] pixels, int count)
    {
        var scores = new float[count * EmotionLabels.Count];
        _runs.Wait();
        try
        {
            for (var start = 0; start < count; start += RunBatchSize)
                RunChunk(pixels, start, Math.Min(RunBatchSize, count - start), scores);
            return scores;
        }
        finally
        {
            _runs.Release();
        }
    }

    /// <summary>One session run over faces [start, start + length) of <paramref name="pixels"/>, its scores copied into place.</summary>
    private void RunChunk(float[] pixels, int start, int length, float[] scores)
    {
        var memory = new Memory<float>(pixels, start * FacePreprocessor.PixelCount, length * FacePreprocessor.PixelCount);
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory,
            [length, 1, FacePreprocessor.Side, FacePreprocessor.Side]);
        _guard.Run((session, runOptions) =>
        {
            using var outputs = session.Run(runOptions, [_inputName], [input], [_outputName]);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(scores.AsSpan(start * EmotionLabels.Count, length * EmotionLabels.Count));
            return true;
        });
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // The run semaphore is not disposed: a run still draining releases it after Dispose returns.
    public void Dispose() => _guard.Dispose();
}
