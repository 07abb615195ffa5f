namespace Fer.IntegrationTests.Security;

/// <summary>
/// deploy/sql/ingest-role.sql applied to a fresh database (under a unique role name); a real ingest host connected as
/// that role submits a folder, submits it again after a blob changed and another was deleted, while a worker (as the
/// owner) scores it; the role cannot do what ingest never needs to.
/// </summary>
public sealed class IngestRoleTests() : RestrictedRolePipelineTest("ingest-role.sql", "fer_ingest", "ingest-role-")
{
    [Fact]
    public async Task An_ingest_host_connected_as_the_restricted_role_submits_resubmits_and_reconciles()
    {
        var rows = Fer2013Images.ReadRows(RepoPaths.PublicTestSlice).Take(12).ToList();
        var blobs = await UploadFacesAsync(rows);

        await using var hosts = await StartHostsAsync(workerSettings: OwnerSettings, workerId: "owner-worker", ingestSettings: RoleSettings);
        await SubmitAsync(hosts.Http);
        await WaitUntilNothingPendingAsync();

        // A changed blob (new ETag: its old scores are deleted, it is scored again) and a deleted one (gone).
        var changed = $"{Folder}/{Fer2013Images.RelativePath(rows[0])}";
        await blobs.GetBlobClient(changed).UploadAsync(BinaryData.FromBytes(Fer2013Images.EncodePng(rows[1].Gray48)), overwrite: true);
        await blobs.DeleteBlobAsync($"{Folder}/{Fer2013Images.RelativePath(rows[2])}");
        await SubmitAsync(hosts.Http);
        await WaitUntilNothingPendingAsync();

        await using var db = _database.Owner.CreateContext();
        var images = await db.Images.AsNoTracking().ToListAsync();
        Assert.Equal(12, images.Count);
        Assert.Equal(11, images.Count(i => i.State == ImageState.Scored));
        Assert.Single(images, i => i.State == ImageState.Gone);
        Assert.Equal(11, await db.Predictions.CountAsync(p => p.Image!.State == ImageState.Scored));
    }

    [Theory]
    [InlineData("DELETE FROM images")]
    [InlineData("DELETE FROM datasets")]
    [InlineData("SELECT * FROM predictions")]
    [InlineData("UPDATE predictions SET happy = 1")]
    [InlineData("SELECT * FROM reports")]
    [InlineData("INSERT INTO image_failures (image_id, reason, permanent, occurred_at) VALUES (1, 'x', true, now())")]
    [InlineData("UPDATE images SET path = 'elsewhere.png'")]
    [InlineData("CREATE TABLE public.intruder (id int)")]
    [InlineData("DROP TABLE images")]
    public Task The_restricted_role_cannot_do_what_ingest_never_needs(string sql) => _database.AssertDeniedAsync(sql);

    private async Task WaitUntilNothingPendingAsync()
    {
        await using var db = _database.Owner.CreateContext();
        await Poll.UntilAsync(async () => await db.Images.AnyAsync() && !await db.Images.AnyAsync(i => i.State == ImageState.Pending),
            TimeSpan.FromMinutes(2), "no image Pending", TimeSpan.FromMilliseconds(200));
    }
}
