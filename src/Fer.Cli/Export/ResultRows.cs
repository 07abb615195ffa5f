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
            .Select(p => new ExportRow(p.Image!.Path, p.FaceIndex, p.Box.X, p.Box.Y, p.Box.Width, p.Box.Height, p.PredictedLabel, p.Confidence,
                p.Scores.Angry, p.Scores.Disgust, p.Scores.Fear, p.Scores.Happy, p.Scores.Sad, p.Scores.Surprise, p.Scores.Neutral, p.ScoredAt, p.ModelName, p.ModelSha256))
            .AsAsyncEnumerable();
}
