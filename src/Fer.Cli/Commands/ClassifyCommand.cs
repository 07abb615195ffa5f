using System.CommandLine;
using System.Globalization;
using Fer.Cli.Output;
using Fer.Core.Imaging;
using Fer.Core.Labels;
using Spectre.Console;

namespace Fer.Cli.Commands;

/// <summary><c>fer classify</c>: one image through the serving preprocessing and model.</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "image file (PNG, JPEG, BMP, GIF, WebP); a cropped face works best" };
        var model = CommonOptions.Model();
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var threads = CommonOptions.Threads();

        var command = new Command("classify", "Classify the emotion of one face image") { image, model, json, threads };
        command.SetAction((parseResult, cancellationToken) => GuardedAction.RunAsync(parseResult, async () =>
        {
            var path = parseResult.GetRequiredValue(image);
            if (!File.Exists(path))
                throw new BadInputException($"{path}: file not found");
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var pixels = new float[FacePreprocessor.PixelCount];
            try
            {
                FacePreprocessor.Preprocess(bytes, pixels);
            }
            catch (InvalidImageException ex)
            {
                throw new BadInputException($"{path}: {ex.Reason}");
            }
            using var classifier = CommonOptions.OpenClassifier(parseResult.GetRequiredValue(model), parseResult.GetValue(threads));
            var classification = new ImageClassification(path, classifier.ModelName, classifier.Classify(pixels, 1)[0]);

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
        var prediction = classification.Prediction;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{classification.Image}: {EmotionLabels.Name(prediction.Label)} ({prediction.Confidence * 100:F1}%, model {classification.Model})"));
        var table = new Table();
        table.AddColumn("label");
        table.AddColumn(new TableColumn("score").RightAligned());
        foreach (var emotion in Enum.GetValues<Emotion>())
            table.AddRow(EmotionLabels.Name(emotion), prediction.Scores[(int)emotion].ToString("F4", CultureInfo.InvariantCulture));
        console.Write(table);
    }
}
