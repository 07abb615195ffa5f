using System.Diagnostics;
using Fer.ImageSources;

namespace Fer.Tests.Embedded;

/// <summary>
/// Folders built from what a POSIX file system can hold (FIFOs named .png, sockets, devices, link loops, links out of
/// the folder, hard links, a bind mount, invalid UTF-8 names, newlines and leading dashes, 300-level and
/// beyond-PATH_MAX trees, a sparse 3 GB file, chmod 000) run through <c>fer run</c>: the run finishes within a time
/// limit, every regular image file ends in exactly one terminal state, every other entry is counted by reason in the
/// summary, and no special file is opened (a FIFO opened for reading would block the run).
/// Root reads through chmod 000, so the permission rows assert what really happens for the user running the test.
/// </summary>
public sealed class FileSystemFolderTests : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _work = new();
    private readonly List<string> _mounts = [];
    private readonly byte[] _face = TestImages.EncodeGray(Fer2013Csv.SliceRows(1)[0].Pixels, 48, 48);

    private static bool IsRoot => Environment.IsPrivilegedProcess;

    [Fact]
    public async Task Fer_run_on_a_folder_of_special_files_finishes_and_accounts_for_every_entry()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "odd")).FullName;
        var outside = _work.File("outside/secret.png");
        await File.WriteAllBytesAsync(outside, _face);
        Write(folder, "happy/face1.png");
        Write(folder, "happy/-rf.png");
        Write(folder, "happy/new\nline.png");
        Write(folder, "happy/--help.png");
        Write(folder, "locked/face.png");
        Write(folder, "unreadable.png");
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not an image");
        Write(folder, ".hidden.png");
        Sh(folder, """
            ln happy/face1.png happy/hardlink.png
            mkfifo pipe.png
            mkdir loop && ln -s .. loop/up
            ln -s ../outside/secret.png outside.png
            cp happy/face1.png $'bad-\xff-name.png'
            truncate -s 3G sparse-3g.png
            d=deep; for i in $(seq 1 300); do d=$d/d; done; mkdir -p $d && cp happy/face1.png $d/bottom.png
            face=$PWD/happy/face1.png; cd deep && for i in $(seq 1 260); do mkdir dddddddddddddddd && cd dddddddddddddddd; done && cp "$face" beyond-path-max.png
            """);
        chmod000(folder, "locked", "unreadable.png");
        // A bound socket file that outlives its process (.NET unlinks its own on Dispose).
        Sh(folder, "/usr/bin/python3 -c \"import socket; socket.socket(socket.AF_UNIX).bind('sock.png')\"");
        if (IsRoot)
        {
            Sh(folder, "mknod device.png c 1 3");
            Directory.CreateDirectory(Path.Combine(folder, "zz-bound"));
            Sh(folder, "mount --bind happy zz-bound");
            _mounts.Add(Path.Combine(folder, "zz-bound"));
        }

        var database = Path.Combine(_work.Path, "results.db");
        var stopwatch = Stopwatch.StartNew();
        var result = await CliRunner.RunAsync("run", folder, "--db", database, "--model", RepoPaths.ShippedModel).WaitAsync(RunLimit);
        stopwatch.Stop();
        Assert.True(result.ExitCode == 0, result.Output + result.Error);

        var images = await LoadImagesAsync(database);
        var scored = new List<string> { "happy/face1.png", "happy/-rf.png", "happy/new\nline.png", "happy/--help.png",
            "deep/" + string.Join('/', Enumerable.Repeat("d", 300)) + "/bottom.png" };
        var failed = new Dictionary<string, string> { ["sparse-3g.png"] = "file of 3221225472 bytes exceeds the limit" };
        if (IsRoot)
            scored.AddRange(["locked/face.png", "unreadable.png"]); // root is not denied by mode bits
        else
            failed["unreadable.png"] = "file not readable: permission denied";
        Assert.True(scored.Count + failed.Count == images.Count, string.Join(" | ", images.Keys));
        foreach (var path in scored)
            Assert.True(images[path].State == ImageState.Scored, $"{path}: {images[path].State} {images[path].FailureReason}");
        foreach (var (path, reason) in failed)
        {
            Assert.Equal(ImageState.Failed, images[path].State);
            Assert.Contains(reason, images[path].FailureReason);
        }
        Assert.Equal((short)Emotion.Happy, images["happy/new\nline.png"].TrueLabel);

        var expectedSkips = new Dictionary<string, int>
        {
            [SkipReasons.DuplicateFile] = 1,
            [SkipReasons.NamedPipe] = 1,
            [SkipReasons.Socket] = 1,
            [SkipReasons.LinkNotFollowed] = 2,
            [SkipReasons.InvalidName] = 1,
            [SkipReasons.PathTooLong] = 1,
            [SkipReasons.NotAnImage] = 1,
            [SkipReasons.Hidden] = 1,
        };
        if (IsRoot)
        {
            expectedSkips[SkipReasons.Device] = 1;
            expectedSkips[SkipReasons.DuplicateFolder] = 1;
        }
        else
        {
            expectedSkips[SkipReasons.FolderUnreadable] = 1;
        }
        Assert.True(result.Output.Contains($"Entries not listed ({expectedSkips.Values.Sum()})"), result.Output);
        var listing = await ListAsync(folder, followLinks: false);
        Assert.Equal(expectedSkips.OrderBy(k => k.Key), listing.CountsByReason.OrderBy(k => k.Key));
        Assert.Equal(scored.Count + failed.Count, listing.ImagesListed);
        Assert.Contains(listing.ExamplesOf(SkipReasons.DuplicateFile), e => e.Path == "happy/hardlink.png" && e.Detail == "same file as happy/face1.png");
        Assert.True(stopwatch.Elapsed < RunLimit, $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Follow_links_stays_inside_the_folder_refuses_cycles_and_lists_each_file_once()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "links")).FullName;
        await File.WriteAllBytesAsync(_work.File("outside/secret.png"), _face);
        Write(folder, "happy/face.png");
        Write(folder, "pool/a.png");
        Sh(folder, """
            mkdir -p labelled/sad && ln -s ../../pool/a.png labelled/sad/a.png
            mkdir loop && ln -s .. loop/up && ln -s self.png loop/self.png
            ln -s ../outside/secret.png outside.png
            ln -s / root-of-the-machine
            ln -s missing.png broken.png
            ln -s happy linked-dir
            mkfifo zz.fifo && ln -s zz.fifo pipe-link.png
            """);

        var database = Path.Combine(_work.Path, "results.db");
        var result = await CliRunner.RunAsync("run", folder, "--db", database, "--model", RepoPaths.ShippedModel, "--follow-links")
            .WaitAsync(RunLimit);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);

        var images = await LoadImagesAsync(database);
        // The link under labelled/sad comes first in name order, so pool/a.png is its duplicate and the label is Sad.
        Assert.Equal(["happy/face.png", "labelled/sad/a.png"], images.Keys.Order(StringComparer.Ordinal));
        Assert.All(images.Values, i => Assert.Equal(ImageState.Scored, i.State));
        Assert.Equal((short)Emotion.Sad, images["labelled/sad/a.png"].TrueLabel);

        var listing = await ListAsync(folder, followLinks: true);
        var expected = new Dictionary<string, int>
        {
            [SkipReasons.DuplicateFile] = 1,   // pool/a.png, already listed through labelled/sad/a.png
            [SkipReasons.DuplicateFolder] = 1, // linked-dir -> happy
            [SkipReasons.LinkCycle] = 1,       // loop/up -> ..
            [SkipReasons.LinkLoop] = 1,        // loop/self.png -> itself
            [SkipReasons.LinkOutside] = 2,     // outside.png, root-of-the-machine
            [SkipReasons.LinkBroken] = 1,
            [SkipReasons.NamedPipe] = 2,       // the FIFO and the link to it
        };
        Assert.Equal(expected.OrderBy(k => k.Key), listing.CountsByReason.OrderBy(k => k.Key));
    }

    [Fact]
    public async Task A_file_swapped_after_listing_is_never_read_through_a_pipe_or_link_and_fails_with_its_reason()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "swap")).FullName;
        foreach (var name in new[] { "to-pipe.png", "to-link.png", "resized.png", "vanished.png", "kept.png" })
            Write(folder, name);
        var source = new LocalFolderImageSource();
        var dataset = LocalFolderImageSource.DatasetName(folder);
        var listed = new List<SourceImage>();
        await foreach (var page in source.ListImagesAsync(LocalFolderImageSource.Container, dataset, 100, CancellationToken.None))
            listed.AddRange(page);
        Assert.Equal(5, listed.Count);

        Sh(folder, """
            rm to-pipe.png && mkfifo to-pipe.png
            rm to-link.png && ln -s kept.png to-link.png
            head -c 10 kept.png >> resized.png
            rm vanished.png
            """);
        async Task<string> FailureOf(string name)
        {
            var read = source.ReadAsync(LocalFolderImageSource.Container, $"{dataset}/{name}", ImageLimits.Default.MaxEncodedBytes, CancellationToken.None);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
            return error switch
            {
                InvalidImageException invalid => invalid.Reason,
                ImageNotFoundException gone => gone.Message,
                _ => throw error,
            };
        }
        Assert.Contains("not a regular file when opened (NamedPipe)", await FailureOf("to-pipe.png"));
        Assert.Contains("replaced by a symbolic link", await FailureOf("to-link.png"));
        Assert.Contains($"changed size after it was listed ({_face.Length} -> {_face.Length + 10} bytes)", await FailureOf("resized.png"));
        Assert.Contains("image not found", await FailureOf("vanished.png"));
        Assert.Equal(_face, await source.ReadAsync(LocalFolderImageSource.Container, $"{dataset}/kept.png", ImageLimits.Default.MaxEncodedBytes, CancellationToken.None));

        // Never listed (fer report reading thumbnails by name): the same rules apply without a listing.
        var unlisted = new LocalFolderImageSource();
        var pipeRead = unlisted.ReadAsync(LocalFolderImageSource.Container, $"{dataset}/to-pipe.png", ImageLimits.Default.MaxEncodedBytes, CancellationToken.None);
        var pipeError = await Assert.ThrowsAsync<InvalidImageException>(() => pipeRead.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("NamedPipe", pipeError.Reason);
    }

    [Fact]
    public async Task Fer_classify_on_a_folder_lists_it_as_fer_run_does_and_never_opens_a_special_file()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "classify")).FullName;
        Write(folder, "a.png");
        Write(folder, "sub/b.png");
        Sh(folder, """
            mkfifo pipe.png
            ln -s .. up
            ln -s /dev/zero zero.png
            ln -s a.png link.png
            """);

        var listed = await CliRunner.RunAsync("classify", folder, "--json", "--model", RepoPaths.ShippedModel).WaitAsync(RunLimit);
        Assert.True(listed.ExitCode == 0, listed.Output + listed.Error);
        var images = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("image").GetString()).ToList();
        Assert.Equal([$"{folder}/a.png", $"{folder}/sub/b.png"], images);
        Assert.Equal($"note: {folder}: 4 other entries were skipped: 3 x {SkipReasons.LinkNotFollowed}, 1 x {SkipReasons.NamedPipe}", listed.Error.Trim());

        // Named on the command line, a link is followed (the user chose it), and a FIFO or device is refused, not read.
        var named = await CliRunner.RunAsync("classify", Path.Combine(folder, "link.png"), Path.Combine(folder, "pipe.png"),
            Path.Combine(folder, "zero.png"), "--json", "--model", RepoPaths.ShippedModel).WaitAsync(RunLimit);
        Assert.Equal(Fer.Cli.Commands.ExitCodes.BadInput, named.ExitCode);
        Assert.Single(named.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"error: {folder}/pipe.png: not a regular file when opened (NamedPipe): never read", named.Error);
        Assert.Contains($"error: {folder}/zero.png: not a regular file when opened (CharacterDevice): never read", named.Error);
    }

    private void Write(string folder, string relative)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, _face);
    }

    private static void chmod000(string folder, params string[] names)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("the hostile-folder fixture needs POSIX file modes");
        foreach (var name in names)
            File.SetUnixFileMode(Path.Combine(folder, name), UnixFileMode.None);
    }

    private static async Task<FolderListingReport> ListAsync(string folder, bool followLinks)
    {
        var source = new LocalFolderImageSource(new LocalFolderOptions { FollowLinks = followLinks });
        var dataset = LocalFolderImageSource.DatasetName(folder);
        await foreach (var _ in source.ListImagesAsync(LocalFolderImageSource.Container, dataset, 100, CancellationToken.None))
        {
        }
        return source.ListingReport(dataset)!;
    }

    private static async Task<Dictionary<string, ImageRecord>> LoadImagesAsync(string database)
    {
        await using var db = new FerDbContext(new DbContextOptionsBuilder<FerDbContext>().UseSqlite($"Data Source={database};Pooling=false").Options);
        return await db.Images.AsNoTracking().ToDictionaryAsync(i => i.Path);
    }

    private static void Sh(string workingDirectory, string script)
    {
        var start = new ProcessStartInfo("bash", ["-euc", script]) { WorkingDirectory = workingDirectory, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script}\n{error}");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var mount in _mounts)
            Sh("/", $"umount '{mount}'");
        // rm walks with openat, so the tree deeper than PATH_MAX goes too; chmod 000 folders need their mode back.
        Sh("/", $"chmod -R u+rwx '{_work.Path}' 2>/dev/null || true; rm -rf '{_work.Path}'");
        _work.Dispose();
    }
}
