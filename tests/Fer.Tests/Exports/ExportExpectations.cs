using CsvHelper;
using Fer.Cli.Export;

namespace Fer.Tests.Exports;

/// <summary>What an export of <see cref="KnownResults"/> must hold, for SQLite here and PostgreSQL in the integration tests.</summary>
public static class ExportExpectations
{
    /// <summary>A file name with every character CSV must quote or double, and a JSON one must escape.</summary>
    public const string HostilePath = "misc/a, \"quoted\" name\nwith a line break, and ünïcødé.png";

    public static async Task AddHostilePhotoAsync(FerDbContext db, long datasetId)
    {
        var dataset = await db.Datasets.SingleAsync(d => d.Id == datasetId);
        var now = new DateTimeOffset(2026, 1, 10, 1, 2, 3, 456, TimeSpan.Zero);
        var photo = KnownResults.NewImage(dataset, HostilePath, null, ImageState.Scored, now);
        for (short face = 0; face < 2; face++)
        {
            var prediction = KnownResults.NewPrediction((short)(3 + face), 0.6f + face * 0.1f, KnownResults.ModelName, KnownResults.ModelSha, now);
            prediction.FaceIndex = face;
            prediction.Box = new PixelBox(10 + 100 * face, 20, 80 - 10 * face, 90);
            photo.Predictions.Add(prediction);
        }
        db.Images.Add(photo);
        await db.SaveChangesAsync();
    }

    public static async Task<Dictionary<(string, int), Prediction>> ExpectedRowsAsync(FerDbContext db, long datasetId) =>
        await db.Predictions.AsNoTracking().Include(p => p.Image)
            .Where(p => p.Image!.DatasetId == datasetId && p.Image.State == ImageState.Scored)
            .ToDictionaryAsync(p => (p.Image!.Path, (int)p.FaceIndex));

    /// <summary>Reads a CSV export with CsvHelper's reader: header, then one dictionary per record.</summary>
    public static List<Dictionary<string, string>> ParseCsv(string text)
    {
        using var reader = CsvReader.Create(new StringReader(text));
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            Assert.Equal(ExportRow.Columns, reader.Headers);
            rows.Add(ExportRow.Columns.Select((c, i) => (c, reader.GetString(i))).ToDictionary(x => x.c, x => x.Item2));
        }
        return rows;
    }

    public static void AssertMatches(Prediction expected, Func<string, string> field)
    {
        Assert.Equal(expected.FaceIndex.ToString(), field("face_index"));
        Assert.Equal($"{expected.Box.X},{expected.Box.Y},{expected.Box.Width},{expected.Box.Height}",
            $"{field("box_x")},{field("box_y")},{field("box_width")},{field("box_height")}");
        Assert.Equal(Fer.Core.Labels.EmotionLabels.Names[expected.PredictedLabel], field("label"));
        Assert.Equal(expected.Confidence, float.Parse(field("confidence"), System.Globalization.CultureInfo.InvariantCulture));
        float[] scores = expected.Scores.ToArray();
        for (var k = 0; k < 7; k++)
            Assert.Equal(scores[k], float.Parse(field(Fer.Core.Labels.EmotionLabels.Names[k]), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.ScoredAt, DateTimeOffset.Parse(field("scored_at"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("Z", field("scored_at"));
        Assert.Equal((expected.ModelName, expected.ModelSha256), (field("model_name"), field("model_sha256")));
    }

}
