using Fer.ImageSources;
using Fer.Inference.Faces;
using Fer.Core.Imaging;
using Fer.Inference;

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
        // The 200 answer counts what was left out, as the 404 of a folder without images does.
        Assert.Equal(new Dictionary<string, int> { [SkipReasons.NotAnImage] = 1, [SkipReasons.UndecodablePhotoFormat] = 1 }, pipeline.FirstSubmit.Skipped);
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
            float[] storedScores = stored.Scores.ToArray();
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
        Assert.Equal(replacementRow.Scores.Happy, image.LargestFace.Scores.Happy, 1e-5f);
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
    public void A_photo_gets_one_row_per_face_and_a_photo_without_faces_ends_NoFace()
    {
        var byPath = pipeline.PhotoSnapshot.ToDictionary(i => i.Path);
        Assert.Equal(3, byPath.Count);

        var crop = byPath["happy/crop.png"];
        Assert.Equal(ImageState.Scored, crop.State);
        var cropFace = Assert.Single(crop.Predictions);
        Assert.Equal((0, 0, 48, 48), (cropFace.Box.X, cropFace.Box.Y, cropFace.Box.Width, cropFace.Box.Height));
        Assert.Null(cropFace.DetectorConfidence);
        var sameFace = pipeline.Snapshot.Single(i => i.Path == Fer2013Images.RelativePath(pipeline.Rows[0])).LargestFace!;
        Assert.Equal(sameFace.Scores.Happy, cropFace.Scores.Happy, 1e-6f);

        var group = byPath["group.png"];
        Assert.Equal(ImageState.Scored, group.State);
        Assert.Equal(3, group.FaceCount);
        Assert.Equal([0, 1, 2], group.Predictions.Select(p => (int)p.FaceIndex).Order());
        foreach (var truth in DistributedPipelineFixture.GroupBoxes)
            Assert.Contains(group.Predictions, p => p.Box.ToFaceBox().Overlap(truth) > 0.5);
        Assert.All(group.Predictions, p => Assert.True(p.DetectorConfidence > 0));
        Assert.All(group.Predictions, p => Assert.True(p.Timings.DetectMs > 0));
        var largest = group.LargestFace!;
        Assert.True(largest.Box.ToFaceBox().Overlap(DistributedPipelineFixture.GroupBoxes[1]) > 0.5);

        var room = byPath["room.jpg"];
        Assert.Equal(ImageState.NoFace, room.State);
        Assert.Equal(0, room.FaceCount);
        Assert.Null(room.FailureReason);
        Assert.Empty(room.Predictions);
    }

    [Fact]
    public void A_marked_folder_scores_a_big_image_as_one_crop()
    {
        var image = Assert.Single(pipeline.MarkedSnapshot);
        Assert.Equal(ImageState.Scored, image.State);
        var face = Assert.Single(image.Predictions);
        Assert.Equal((0, 0, 200, 200), (face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height));
        Assert.Null(face.DetectorConfidence);
    }

    [Fact]
    public async Task Classify_endpoint_returns_every_face_of_a_photo()
    {
        using var content = new ByteArrayContent(pipeline.GroupPhoto);
        var response = await pipeline.Http.PostAsync("/classify", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(json.GetProperty("detected").GetBoolean());
        var faces = json.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(3, faces.Count);
        var stored = pipeline.PhotoSnapshot.Single(i => i.Path == "group.png").Predictions.OrderBy(p => p.FaceIndex).ToList();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(stored[i].Box.X, faces[i].GetProperty("box").GetProperty("x").GetInt32());
            Assert.Equal(stored[i].Box.Width, faces[i].GetProperty("box").GetProperty("width").GetInt32());
            Assert.Equal(EmotionLabels.Names[stored[i].PredictedLabel], faces[i].GetProperty("label").GetString());
            Assert.Equal(stored[i].Scores.Happy, faces[i].GetProperty("scores").GetProperty("happy").GetSingle(), 1e-5f);
        }
        Assert.Equal(faces[0].GetProperty("label").GetString(), json.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Submitting_a_folder_of_heic_photos_is_not_found_with_why_each_file_was_skipped()
    {
        foreach (var name in new[] { "iphone/IMG_0001.HEIC", "iphone/IMG_0002.HEIC", "iphone/notes.txt" })
            await pipeline.Blobs.GetBlobClient(name).UploadAsync(BinaryData.FromString("not decoded"), overwrite: true);
        var response = await pipeline.Http.PostAsync($"/datasets/{pipeline.Container}/iphone/submit", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal($"no images under {pipeline.Container}/iphone/ (looked for .png .jpg .jpeg .bmp .gif .webp); 3 other entries were skipped: " +
            $"2 x {SkipReasons.UndecodablePhotoFormat}, 1 x {SkipReasons.NotAnImage}", detail);
    }

    [Fact]
    public async Task Submitting_an_unknown_folder_is_not_found()
    {
        var response = await pipeline.Http.PostAsync($"/datasets/{pipeline.Container}/no-such-folder/submit", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
