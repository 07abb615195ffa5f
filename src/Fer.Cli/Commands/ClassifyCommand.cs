using System.Globalization;
using Fer.Inference.Faces;
using Fer.Core.Imaging;
using Fer.Core.Labels;
using Fer.ImageSources;

namespace Fer.Cli.Commands;

/// <summary><c>fer classify</c>: one image through the serving preprocessing (and, for a photo, the face detector) and model.</summary>
public static class ClassifyCommand
{
    public static Command Create() =>
        GuardedCommand.Create("classify", "Classify the emotion of every face in one or more images", new ClassifyOptions(), ClassifyAsync);

    /// <summary>The argument and options of <c>fer classify</c>, declared once so the action reads the same objects it registered.</summary>
    private sealed class ClassifyOptions : IVerbOptions
    {
        public Argument<string[]> Images { get; } = new("images")
        {
            Description = "image files (PNG, JPEG, BMP, GIF, WebP), a glob's expansion, or folders (searched for images, sub-folders too): face crops, or photos searched for faces",
            Arity = ArgumentArity.OneOrMore,
        };
        public Option<string> Model { get; } = CommonOptions.Model();
        public Option<bool> Json { get; } = new("--json") { Description = "print the result as JSON (one indented object for one image, one line per image for several)" };
        public Option<int> Threads { get; } = CommonOptions.Threads();
        public Option<FaceMode?> Faces { get; } = CommonOptions.Faces();
        public Option<FaceDetectorKind?> Detector { get; } = CommonOptions.Detector();
        public Option<string?> Annotate { get; } = new("--annotate") { Description = "write a PNG copy of the image with each face's box and label drawn on it (one image only)" };

        public IEnumerable<Symbol> Symbols => [Images, Model, Json, Threads, Faces, Detector, Annotate];
    }

    private static async Task<int> ClassifyAsync(ParseResult parseResult, ClassifyOptions options, CancellationToken cancellationToken)
    {
        var inputs = await ExpandImagesAsync(parseResult.GetRequiredValue(options.Images), cancellationToken);
        var paths = inputs.Paths;
        var annotated = parseResult.GetValue(options.Annotate);
        if (annotated is not null && paths.Count > 1)
            throw new BadInputException($"--annotate writes one file: give it a single image, not {paths.Count}");
        using var locator = new FaceLocator(new FaceOptions { Mode = parseResult.GetValue(options.Faces) ?? FaceMode.Auto, Detector = parseResult.GetValue(options.Detector) ?? FaceDetectorKind.BlazeFace });
        EmotionClassifier? classifier = null;
        var error = parseResult.InvocationConfiguration.Error;
        var failed = 0;
        foreach (var note in inputs.Notes)
            await error.WriteLineAsync($"note: {note}");
        try
        {
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] bytes;
                LocatedImage located;
                try
                {
                    bytes = await inputs.ReadAsync(path, cancellationToken);
                    located = Locate(locator, path, bytes);
                }
                catch (InvalidImageException ex)
                {
                    if (paths.Count == 1)
                        throw new BadInputException($"{path}: {ex.Reason}");
                    // One bad file among many: say which, go on with the others, and fail the exit code at the end.
                    await error.WriteLineAsync($"error: {path}: {ex.Reason}");
                    failed++;
                    continue;
                }
                // Opened on the first good image, so a run of undecodable files never pays for loading the model.
                classifier ??= CommonOptions.OpenClassifier(parseResult.GetRequiredValue(options.Model), parseResult.GetValue(options.Threads));
                var classification = new ImageClassification(path, classifier.ModelName, located, classifier.Classify(located.Faces));
                if (annotated is not null)
                    FaceAnnotator.Write(bytes, classification, annotated);
                await WriteAsync(parseResult, classification, asJson: parseResult.GetValue(options.Json), oneImage: paths.Count == 1);
            }
        }
        finally
        {
            classifier?.Dispose();
        }
        return failed == 0 ? ExitCodes.Success : ExitCodes.BadInput;
    }

    private static LocatedImage Locate(FaceLocator locator, string path, byte[] bytes)
    {
        // A single file has no dataset folder; a .fer-crops file beside it counts as one.
        var marker = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", FaceOptions.CropsMarker);
        return locator.Locate(bytes, folderIsCrops: File.Exists(marker));
    }

    /// <summary>One image's result: indented JSON for one image, JSON lines for several, else a table.</summary>
    private static async Task WriteAsync(ParseResult parseResult, ImageClassification classification, bool asJson, bool oneImage)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (asJson)
            await output.WriteLineAsync(oneImage
                ? ImageClassificationJson.ToJson(classification)
                : JsonSerializerLine(ImageClassificationJson.ToJson(classification)));
        else
            Render(ConsoleFor.Writer(output), classification);
    }

    /// <summary>The indented JSON of one image on one line, for JSON lines.</summary>
    private static string JsonSerializerLine(string indented)
    {
        using var document = System.Text.Json.JsonDocument.Parse(indented);
        return System.Text.Json.JsonSerializer.Serialize(document.RootElement);
    }

    /// <summary>
    /// Files as given (a link the user names is followed); folders listed as <c>fer run</c> lists them: the image files
    /// inside, sub-folders too, sorted, with hidden names, symbolic links, FIFOs and devices left out (a FIFO would block
    /// the read for ever, a link cycle would never end). A name that does not exist is an error naming it; one with *
    /// or ? in it is a glob the shell found nothing for.
    /// </summary>
    public static async Task<ClassifyInputs> ExpandImagesAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var inputs = new ClassifyInputs();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var folder = Path.TrimEndingDirectorySeparator(argument);
                var found = new List<string>();
                await foreach (var page in inputs.Folders.ListImagesAsync(LocalFolderImageSource.Container, folder, 1000, cancellationToken))
                    found.AddRange(page.Select(image => image.Name));
                var skipped = inputs.Folders.ListingReport(folder) is { } report ? SkipReasons.Summarize(report.CountsByReason) : null;
                if (found.Count == 0)
                    throw new BadInputException($"no images found in {argument} (looked for {ImageFileNames.ExtensionList})" + (skipped is null ? "" : $"; {skipped}"));
                if (skipped is not null)
                    inputs.Notes.Add($"{argument}: {skipped}");
                found.Sort(StringComparer.Ordinal);
                inputs.AddListed(found);
            }
            else if (File.Exists(argument))
            {
                inputs.AddNamed(argument);
            }
            else if (argument.IndexOfAny(['*', '?', '[']) >= 0)
            {
                throw new BadInputException($"{argument}: no file matches this pattern");
            }
            else
            {
                throw new BadInputException($"{argument}: file not found");
            }
        }
        return inputs;
    }

    private static void Render(IAnsiConsole console, ImageClassification classification)
    {
        if (classification.Prediction is null)
        {
            console.WriteLine($"{classification.Image}: no face found ({classification.Located.Width}x{classification.Located.Height} photo, model {classification.Model})");
            return;
        }
        if (!classification.Located.Detected)
        {
            var prediction = classification.Prediction;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{classification.Image}: {EmotionLabels.Name(prediction.Label)} ({prediction.Confidence * 100:F1}%, model {classification.Model})"));
            console.Write(ScoreTable(["score"], [prediction]));
            return;
        }
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{classification.Image}: {classification.Predictions.Count} face(s) found, model {classification.Model}"));
        foreach (var (face, prediction) in classification.Faces)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  face {face.Index}: {EmotionLabels.Name(prediction.Label)} ({prediction.Confidence * 100:F1}%) at x={face.Box.X} y={face.Box.Y} {face.Box.Width}x{face.Box.Height}, detector {face.DetectorConfidence:F2}"));
        console.Write(ScoreTable(classification.Faces.Select(f => $"face {f.Face.Index}").ToList(), classification.Predictions));
    }

    private static Table ScoreTable(IReadOnlyList<string> columns, IReadOnlyList<EmotionPrediction> predictions)
    {
        var table = new Table();
        table.AddColumn("label");
        foreach (var column in columns)
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var emotion in Enum.GetValues<Emotion>())
            table.AddRow([EmotionLabels.Name(emotion), .. predictions.Select(p => p.Scores[(int)emotion].ToString("F4", CultureInfo.InvariantCulture))]);
        return table;
    }
}
