using Fer.Inference.Faces;

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

    /// <summary>Read with <c>GetValue(option) ?? FaceMode.Auto</c>.</summary>
    public static Option<FaceMode?> Faces() => Choice<FaceMode>("--faces",
        "auto: images up to 96 px and folders with a .fer-crops file are face crops, others are photos searched for faces; crops: every image is one face; detect: search every image",
        "auto");

    /// <summary>Read with <c>GetValue(option) ?? FaceDetectorKind.BlazeFace</c>.</summary>
    public static Option<FaceDetectorKind?> Detector() => Choice<FaceDetectorKind>("--detector",
        "face detector for photos: blazeface (MediaPipe BlazeFace over a tile pyramid) or haar (OpenCV's Haar cascade)",
        "blazeface");

    /// <summary>
    /// An option over an enum, spelled by its lower-case names: help shows them (<c>--faces &lt;auto|crops|detect&gt;</c>)
    /// and a wrong value is answered with them, never with the .NET type's name. Its value is null when the option is
    /// not given (the caller applies its default, which <paramref name="defaultText"/> names in the help).
    /// </summary>
    public static Option<T?> Choice<T>(string name, string description, string? defaultText) where T : struct, Enum
    {
        var choices = Enum.GetValues<T>().ToDictionary(v => v.ToString().ToLowerInvariant(), v => v, StringComparer.OrdinalIgnoreCase);
        var spelled = string.Join(", ", choices.Keys);
        var option = new Option<T?>(name)
        {
            Description = defaultText is null ? description : $"{description} (default: {defaultText})",
            HelpName = string.Join('|', choices.Keys),
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                    return null;
                var token = result.Tokens[^1].Value;
                if (choices.TryGetValue(token, out var value))
                    return value;
                result.AddError($"{name}: '{token}' is not one of {spelled}");
                return null;
            },
        };
        option.CompletionSources.Add(choices.Keys.ToArray());
        return option;
    }

    public static EmotionClassifier OpenClassifier(string modelPath, int threads) =>
        new(new ClassifierOptions { ModelPath = modelPath, IntraOpThreads = threads, PreferCuda = false });
}
