using System.CommandLine;
using System.Globalization;
using Fer.Cli.Output;
using Fer.Core.Faces;
using Fer.Core.Imaging;
using Fer.Core.Inference;
using Fer.Core.Labels;
using Spectre.Console;

namespace Fer.Cli.Commands;

/// <summary><c>fer classify</c>: one image through the serving preprocessing (and, for a photo, the face detector) and model.</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "image file (PNG, JPEG, BMP, GIF, WebP): a face crop, or a photo searched for faces" };
        var model = CommonOptions.Model();
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var threads = CommonOptions.Threads();
        var faces = CommonOptions.Faces();
        var detector = CommonOptions.Detector();
        var annotate = new Option<string?>("--annotate") { Description = "write a PNG copy of the image with each face's box and label drawn on it" };

        var command = new Command("classify", "Classify the emotion of every face in one image") { image, model, json, threads, faces, detector, annotate };
        command.SetAction((parseResult, cancellationToken) => GuardedAction.RunAsync(parseResult, async () =>
        {
            var path = parseResult.GetRequiredValue(image);
            if (!File.Exists(path))
                throw new BadInputException($"{path}: file not found");
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            using var locator = new FaceLocator(new FaceOptions { Mode = parseResult.GetValue(faces), Detector = parseResult.GetValue(detector) });
            LocatedImage located;
            try
            {
                // A single file has no dataset folder; a .fer-crops file beside it counts as one.
                var marker = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", FaceOptions.CropsMarker);
                located = locator.Locate(bytes, folderIsCrops: File.Exists(marker));
            }
            catch (InvalidImageException ex)
            {
                throw new BadInputException($"{path}: {ex.Reason}");
            }
            using var classifier = CommonOptions.OpenClassifier(parseResult.GetRequiredValue(model), parseResult.GetValue(threads));
            var pixels = new float[located.Faces.Count * FacePreprocessor.PixelCount];
            for (var i = 0; i < located.Faces.Count; i++)
                located.Faces[i].Pixels.CopyTo(pixels, i * FacePreprocessor.PixelCount);
            var classification = new ImageClassification(path, classifier.ModelName, located, classifier.Classify(pixels, located.Faces.Count));

            if (parseResult.GetValue(annotate) is { } annotated)
                FaceAnnotator.Write(bytes, classification, annotated);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
                await output.WriteLineAsync(ImageClassificationJson.ToJson(classification));
            else
                Render(ConsoleFor.Writer(output), classification);
            return ExitCodes.Success;
        }));
        return command;
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
