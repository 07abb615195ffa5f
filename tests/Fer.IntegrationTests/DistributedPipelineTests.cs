using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fer.Core.Imaging;
using Fer.Core.Inference;
using Fer.Core.Labels;
using Fer.Data.Entities;
using Fer.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fer.IntegrationTests;

public sealed class DistributedPipelineTests(DistributedPipelineFixture pipeline) : IClassFixture<DistributedPipelineFixture>
{
    [Fact]
    public void Submit_lists_every_image_and_skips_other_files()
    {
        var expected = DistributedPipelineFixture.ImageCount + 2;
        Assert.Equal(expected, pipeline.FirstSubmit.Listed);
        Assert.Equal(expected, pipeline.FirstSubmit.Added);
        Assert.Equal(expected, pipeline.FirstSubmit.Published);
        Assert.Equal(expected, pipeline.Snapshot.Count);
    }

    [Fact]
    public async Task Every_image_ends_in_exactly_one_terminal_state()
    {
        var scored = pipeline.Snapshot.Where(i => i.State == ImageState.Scored).ToList();
        var failed = pipeline.Snapshot.Where(i => i.State == ImageState.Failed).ToList();
        Assert.Equal(DistributedPipelineFixture.ImageCount, scored.Count);
        Assert.All(scored, i => Assert.NotNull(i.LargestFace));
        Assert.All(scored, i => Assert.NotNull(i.PublishedAt));
        Assert.Equal([DistributedPipelineFixture.CorruptPath, DistributedPipelineFixture.EmptyPath], failed.Select(i => i.Path).Order().ToArray());

        await using var db = pipeline.Database.CreateContext();
        var imageIds = pipeline.Snapshot.Select(i => i.Id).ToList();
        Assert.Equal(scored.Count, await db.Predictions.CountAsync(p => imageIds.Contains(p.ImageId)));
        var failures = await db.ImageFailures.Where(f => imageIds.Contains(f.ImageId)).ToListAsync();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.True(f.Permanent));
        var dataset = await db.Datasets.SingleAsync(d => d.Id == pipeline.DatasetId);
        Assert.NotNull(dataset.ResultsChangedAt);
    }

    [Fact]
    public void Corrupt_and_empty_files_fail_with_their_reason()
    {
        var corrupt = pipeline.Snapshot.Single(i => i.Path == DistributedPipelineFixture.CorruptPath);
        var empty = pipeline.Snapshot.Single(i => i.Path == DistributedPipelineFixture.EmptyPath);
        Assert.Equal(ImageState.Failed, corrupt.State);
        Assert.Contains("not a decodable image", corrupt.FailureReason);
        Assert.Equal(ImageState.Failed, empty.State);
        Assert.Contains("empty", empty.FailureReason);
        Assert.Null(corrupt.LargestFace);
    }

    [Fact]
    public void Labels_come_from_the_parent_folder()
    {
        foreach (var row in pipeline.Rows)
        {
            var image = pipeline.Snapshot.Single(i => i.Path == Fer2013Images.RelativePath(row));
            Assert.Equal((short)row.Label, image.TrueLabel);
        }
    }

    [Fact]
    public void Both_workers_competed_for_the_queue()
    {
        var byWorker = pipeline.Snapshot.Where(i => i.LargestFace is not null).GroupBy(i => i.LargestFace!.WorkerId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["worker-a", "worker-b"], byWorker.Keys.Order().ToArray());
        Assert.All(pipeline.Snapshot.Where(i => i.LargestFace is not null), i => Assert.InRange(i.LargestFace!.BatchSize, 1, 16));
    }

    [Fact]
    public void Predictions_equal_the_eval_path_on_the_same_faces()
    {
        // `fer eval` on a FER2013 CSV: the row's pixels / 255, classified in batches by the same model file.
        using var classifier = new EmotionClassifier(new ClassifierOptions { PreferCuda = false });
        var pixels = new float[pipeline.Rows.Count * FacePreprocessor.PixelCount];
        for (var i = 0; i < pipeline.Rows.Count; i++)
            FacePreprocessor.FromGray48(pipeline.Rows[i].Gray48, pixels.AsSpan(i * FacePreprocessor.PixelCount, FacePreprocessor.PixelCount));
        var expected = classifier.Classify(pixels, pipeline.Rows.Count);

        for (var i = 0; i < pipeline.Rows.Count; i++)
        {
            var stored = pipeline.Snapshot.Single(s => s.Path == Fer2013Images.RelativePath(pipeline.Rows[i])).LargestFace!;
            float[] storedScores = [stored.Angry, stored.Disgust, stored.Fear, stored.Happy, stored.Sad, stored.Surprise, stored.Neutral];
            for (var c = 0; c < EmotionLabels.Count; c++)
                Assert.Equal(expected[i].Scores[c], storedScores[c], 1e-5f);
            Assert.Equal((short)expected[i].Label, stored.PredictedLabel);
            Assert.Equal(classifier.ModelSha256, stored.ModelSha256);
        }
    }

    [Fact]
    public async Task Resubmitting_adds_nothing_and_a_changed_blob_is_scored_again()
    {
        var again = await pipeline.SubmitAsync();
        Assert.Equal(DistributedPipelineFixture.ImageCount + 2, again.Listed);
        Assert.Equal(0, again.Added + again.Changed + again.Published);
        await Task.Delay(1000);
        await using (var db = pipeline.Database.CreateContext())
        {
            var ids = pipeline.Snapshot.Select(i => i.Id).ToList();
            Assert.Equal(pipeline.Snapshot.Count, await db.Images.CountAsync(i => i.DatasetId == pipeline.DatasetId));
            var scoredAt = await db.Predictions.Where(p => ids.Contains(p.ImageId)).ToDictionaryAsync(p => p.ImageId, p => p.ScoredAt);
            foreach (var unchanged in pipeline.Snapshot.Where(i => i.LargestFace is not null))
                Assert.Equal(unchanged.LargestFace!.ScoredAt, scoredAt[unchanged.Id]);
        }

        // Replace one face with another one's pixels: new ETag, so it is scored again and its prediction replaced.
        var target = pipeline.Rows[0];
        var replacement = pipeline.Rows.First(r => r.Label != target.Label);
        var before = pipeline.Snapshot.Single(i => i.Path == Fer2013Images.RelativePath(target));
        await pipeline.Blobs.GetBlobClient($"{DistributedPipelineFixture.Dataset}/{Fer2013Images.RelativePath(target)}")
            .UploadAsync(BinaryData.FromBytes(Fer2013Images.EncodePng(replacement.Gray48)), overwrite: true);
        var changed = await pipeline.SubmitAsync();
        Assert.Equal(1, changed.Changed);
        Assert.Equal(1, changed.Published);
        await pipeline.WaitForNoPendingAsync(TimeSpan.FromMinutes(1));

        await using var after = pipeline.Database.CreateContext();
        var image = await after.Images.Include(i => i.Predictions).SingleAsync(i => i.Id == before.Id);
        var replacementRow = pipeline.Snapshot.Single(i => i.Path == Fer2013Images.RelativePath(replacement)).LargestFace!;
        Assert.Equal(ImageState.Scored, image.State);
        Assert.NotEqual(before.ETag, image.ETag);
        Assert.True(image.LargestFace!.ScoredAt > before.LargestFace!.ScoredAt);
        Assert.Equal(replacementRow.Happy, image.LargestFace.Happy, 1e-5f);
        Assert.Equal(replacementRow.PredictedLabel, image.LargestFace.PredictedLabel);
        Assert.Equal(1, await after.Predictions.CountAsync(p => p.ImageId == before.Id));
    }

    [Fact]
    public async Task Classify_endpoint_answers_with_the_model_scores()
    {
        var row = pipeline.Rows[5];
        using var content = new ByteArrayContent(Fer2013Images.EncodePng(row.Gray48));
        var response = await pipeline.Http.PostAsync("/classify", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var stored = pipeline.Snapshot.Single(i => i.Path == Fer2013Images.RelativePath(row)).LargestFace!;
        Assert.Equal(EmotionLabels.Names[stored.PredictedLabel], json.GetProperty("label").GetString());
        Assert.Equal(stored.Confidence, json.GetProperty("confidence").GetSingle(), 1e-5f);
        Assert.Equal(EmotionLabels.Names.Order(), json.GetProperty("scores").EnumerateObject().Select(p => p.Name).Order());

        using var garbage = new ByteArrayContent("definitely not a picture"u8.ToArray());
        var bad = await pipeline.Http.PostAsync("/classify", garbage);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Submitting_an_unknown_folder_is_not_found()
    {
        var response = await pipeline.Http.PostAsync($"/datasets/{pipeline.Container}/no-such-folder/submit", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
