using Fer.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fer.Cli.Export;

/// <summary>The face rows of a dataset, read from the database as they come (one open reader, nothing collected).</summary>
public static class ResultRows
{
    /// <summary>
    /// Every face of the dataset's scored images, by path then face index. Only images whose state is Scored count:
    /// an image queued again because its file changed keeps its old rows until it is scored anew, and those are stale.
    /// </summary>
    public static IAsyncEnumerable<ExportRow> ReadAsync(FerDbContext db, long datasetId) =>
        db.Predictions.AsNoTracking()
            .Where(p => p.Image!.DatasetId == datasetId && p.Image.State == ImageState.Scored)
            .OrderBy(p => p.Image!.Path).ThenBy(p => p.FaceIndex)
            .Select(p => new ExportRow(p.Image!.Path, p.FaceIndex, p.BoxX, p.BoxY, p.BoxWidth, p.BoxHeight, p.PredictedLabel, p.Confidence,
                p.Angry, p.Disgust, p.Fear, p.Happy, p.Sad, p.Surprise, p.Neutral, p.ScoredAt, p.ModelName, p.ModelSha256))
            .AsAsyncEnumerable();
}
