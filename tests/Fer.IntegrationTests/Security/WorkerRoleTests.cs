namespace Fer.IntegrationTests.Security;

/// <summary>
/// deploy/sql/worker-role.sql applied to a fresh database (under a unique role name, roles being cluster-wide); a real
/// worker connected as that role scores a folder end to end, and the role cannot do what a worker never needs to.
/// </summary>
public sealed class WorkerRoleTests() : RestrictedRolePipelineTest("worker-role.sql", "fer_worker", "role-")
{
    [Fact]
    public async Task A_worker_connected_as_the_restricted_role_scores_and_fails_images()
    {
        var blobs = await UploadFacesAsync(Fer2013Images.ReadRows(RepoPaths.PublicTestSlice).Take(20));
        await blobs.UploadBlobAsync($"{Folder}/broken.png", BinaryData.FromBytes("not an image"u8.ToArray()));

        // Ingest runs as the owner; only the worker uses the restricted login.
        await using var hosts = await StartHostsAsync(workerSettings: RoleSettings, workerId: "restricted-worker", ingestSettings: OwnerSettings);
        await SubmitAsync(hosts.Http);

        await using var db = _database.Owner.CreateContext();
        // Whatever is found after 2 min is asserted on below.
        await Poll.TryUntilAsync(async () => await db.Images.CountAsync(i => i.State == ImageState.Pending) == 0,
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200));
        var images = await db.Images.Include(i => i.Predictions).AsNoTracking().ToListAsync();
        Assert.Equal(21, images.Count);
        Assert.Equal(20, images.Count(i => i.State == ImageState.Scored && i.LargestFace?.WorkerId == "restricted-worker"));
        var broken = Assert.Single(images, i => i.State == ImageState.Failed);
        Assert.Contains("not a decodable image", broken.FailureReason);
        Assert.Single(await db.ImageFailures.AsNoTracking().ToListAsync());
        Assert.NotNull((await db.Datasets.AsNoTracking().SingleAsync()).ResultsChangedAt);
    }

    [Theory]
    [InlineData("DELETE FROM predictions")]
    [InlineData("DELETE FROM images")]
    [InlineData("UPDATE images SET path = 'elsewhere.png'")]
    [InlineData("SELECT * FROM reports")]
    [InlineData("SELECT name FROM datasets")]
    [InlineData("INSERT INTO images (dataset_id, path, e_tag, size_bytes, state, discovered_at) VALUES (1, 'x.png', 'e', 1, 0, now())")]
    [InlineData("CREATE TABLE public.intruder (id int)")]
    [InlineData("DROP TABLE predictions")]
    public Task The_restricted_role_cannot_do_what_a_worker_never_needs(string sql) => _database.AssertDeniedAsync(sql);
}
