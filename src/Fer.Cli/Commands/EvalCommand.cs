using Fer.Core.Evaluation;
using Fer.Inference.Evaluation;

namespace Fer.Cli.Commands;

/// <summary><c>fer eval</c>: accuracy and per-class metrics of a model on a labelled set, through the serving code path.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = new Option<string>("--data")
        {
            Description = "FER2013 CSV (emotion,pixels[,Usage]; plain or .gz) or a folder laid out as <root>/<label>/<image>",
            Required = true,
        };
        var json = new Option<string?>("--json") { Description = "also write the metrics as JSON to this file" };
        var predictions = new Option<string?>("--predictions")
        {
            Description = "also write one CSV row per image to this file: index,label,predicted and the seven scores",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "faces per inference run",
            DefaultValueFactory = _ => Evaluator.DefaultBatchSize,
        };
        batchSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError("--batch-size must be at least 1");
        });
        var threads = CommonOptions.Threads();

        return GuardedCommand.Create("eval", "Evaluate a model on labelled faces: accuracy, balanced accuracy, macro-F1, per-class metrics, confusion matrix",
            [data, model, json, predictions, batchSize, threads], async (parseResult, cancellationToken) =>
        {
            var dataset = LabelledDataset.Open(parseResult.GetRequiredValue(data));
            if (dataset.FolderImageCount == 0)
                throw new BadInputException($"no labelled images in {dataset.Path}: expected images in sub-folders named after an emotion " +
                                            $"({string.Join(", ", Core.Labels.EmotionLabels.Names)}), e.g. {Path.Combine(dataset.Path, "happy")}/");
            if (dataset.SkippedFolders.Count > 0)
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                    $"note: skipped {dataset.SkippedFolders.Count} folder(s) with no images and no emotion name: {string.Join(", ", dataset.SkippedFolders)}");
            using var classifier = CommonOptions.OpenClassifier(parseResult.GetRequiredValue(model), parseResult.GetValue(threads));
            var result = new Evaluator(classifier, parseResult.GetValue(batchSize)).Evaluate(dataset, cancellationToken);

            var console = ConsoleFor.Writer(parseResult.InvocationConfiguration.Output);
            EvaluationReport.Render(console, result, dataset, classifier.ExecutionProvider);
            if (parseResult.GetValue(json) is { } jsonPath)
            {
                EvaluationJson.WriteFile(result, jsonPath);
                console.WriteLine($"Metrics written to {jsonPath}");
            }
            if (parseResult.GetValue(predictions) is { } predictionsPath)
            {
                PredictionsCsv.WriteFile(result.Faces, predictionsPath);
                console.WriteLine($"Predictions written to {predictionsPath} ({result.Faces.Count} rows)");
            }
            if (result.Count == 0)
                throw new BadInputException($"{dataset.Path}: no faces could be evaluated");
            return ExitCodes.Success;
        });
    }
}
