using Fer.Core.Evaluation;
using Fer.Inference.Evaluation;

namespace Fer.Tests.Evaluation;

public class EvaluatorTests(ShippedModel model) : TempDirectoryTest, IClassFixture<ShippedModel>
{
    private static IEnumerable<LabelledFace> SliceFaces(int count) =>
        Fer2013Csv.SliceRows(count).Select(r => Gray48Face.From(r, "publictest-slice.csv.gz"));

    [Fact]
    public void Batch_size_does_not_change_predictions()
    {
        var reference = new Evaluator(model.Classifier, 256).Evaluate(SliceFaces(100));
        foreach (var batchSize in new[] { 1, 7, 64 })
        {
            var batched = new Evaluator(model.Classifier, batchSize).Evaluate(SliceFaces(100));
            Assert.Equal(reference.Faces.Select(f => f.Predicted), batched.Faces.Select(f => f.Predicted));
            for (var i = 0; i < reference.Faces.Count; i++)
                for (var k = 0; k < 7; k++)
                    Assert.Equal(reference.Faces[i].Scores[k], batched.Faces[i].Scores[k], 1e-5f);
            Assert.Equal(reference.Confusion.ToJagged(), batched.Confusion.ToJagged());
        }
    }

    [Fact]
    public void Confusion_matrix_counts_every_evaluated_face()
    {
        var result = new Evaluator(model.Classifier).Evaluate(SliceFaces(50));
        Assert.Equal(50, result.Count);
        Assert.Equal(50, result.Faces.Count);
        Assert.Equal(result.Faces.Count(f => f.Truth == f.Predicted), result.Confusion.Correct);
        Assert.All(result.Faces, f => Assert.Equal(1f, f.Scores.Sum(), 1e-4f));
        Assert.Equal("publictest-slice.csv.gz:2", result.Faces[0].Source);
        Assert.Equal(model.Classifier.ModelSha256, result.ModelSha256);
    }

    [Fact]
    public void Png_folder_gives_the_same_scores_as_the_csv_rows()
    {
        var rows = Fer2013Csv.SliceRows(40);
        FaceFolders.WritePngs(_temp.Path, rows);
        var fromCsv = new Evaluator(model.Classifier).Evaluate(SliceFaces(40)).Faces
            .ToDictionary(f => int.Parse(f.Source.Split(':')[1]));
        var fromFolder = new Evaluator(model.Classifier).Evaluate(LabelledDataset.Open(_temp.Path));

        Assert.Equal(40, fromFolder.Count);
        foreach (var face in fromFolder.Faces)
        {
            var line = int.Parse(Path.GetFileNameWithoutExtension(face.Source)["row-".Length..]);
            Assert.Equal(fromCsv[line].Truth, face.Truth);
            Assert.Equal(fromCsv[line].Scores, face.Scores); // lossless PNG: bit-identical input, so identical output
        }
    }

    [Fact]
    public void Undecodable_images_are_failures_excluded_from_metrics()
    {
        FaceFolders.WritePngs(_temp.Path, Fer2013Csv.SliceRows(5));
        var garbage = _temp.File("happy/garbage.png", "this is not a png");
        var empty = _temp.File("sad/empty.jpg", "");

        var result = new Evaluator(model.Classifier).Evaluate(LabelledDataset.Open(_temp.Path));

        Assert.Equal(5, result.Count);
        Assert.Equal(5, result.Faces.Count);
        Assert.Equal(new[] { empty, garbage }.Order(), result.Failures.Select(f => f.Source).Order());
        Assert.Contains("empty", result.Failures.Single(f => f.Source == empty).Reason);
        Assert.Contains("not a decodable image", result.Failures.Single(f => f.Source == garbage).Reason);
    }
}
