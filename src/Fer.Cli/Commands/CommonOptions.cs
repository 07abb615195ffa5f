using System.CommandLine;
using Fer.Core.Faces;
using Fer.Core.Inference;

namespace Fer.Cli.Commands;

/// <summary>Options several verbs share; each verb gets its own instances, as System.CommandLine requires.</summary>
public static class CommonOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = "ONNX model file (input 'pixels' [N,1,48,48], output 'probabilities' [N,7])",
        DefaultValueFactory = _ => ModelLocator.DefaultModelPath,
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (0: one per physical core)",
        DefaultValueFactory = _ => 0,
    };

    public static Option<FaceMode> Faces() => new("--faces")
    {
        Description = "auto: images up to 96 px and folders with a .fer-crops file are face crops, others are photos searched for faces; crops: every image is one face; detect: search every image",
        DefaultValueFactory = _ => FaceMode.Auto,
    };

    public static Option<FaceDetectorKind> Detector() => new("--detector")
    {
        Description = "face detector for photos: blazeface (default, MediaPipe BlazeFace over a tile pyramid) or haar (OpenCV's Haar cascade)",
        DefaultValueFactory = _ => FaceDetectorKind.BlazeFace,
    };

    public static EmotionClassifier OpenClassifier(string modelPath, int threads) =>
        new(new ClassifierOptions { ModelPath = modelPath, IntraOpThreads = threads, PreferCuda = false });
}
