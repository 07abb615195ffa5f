using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Fer.Tests.Reports;

public sealed class NightlyReportServiceTests : SqliteDatabaseTest
{
    private ServiceProvider Services(TimeProvider clock, string schedule = "0 2 * * *")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fer:Reports:Schedule"] = schedule,
            ["Fer:Reports:Folder"] = Path.Combine(_database.Folder, "out"),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        services.AddDbContext<FerDbContext>(o => o.UseSqlite($"Data Source={_database.FilePath}"));
        services.AddFerReporting(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Reports_each_changed_labelled_dataset_once_until_its_results_change_again()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 11, 2, 0, 0, TimeSpan.Zero));
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db); // two labelled datasets, results changed 2026-01-10 01:00
        await using var services = Services(clock);
        var nightly = services.GetRequiredService<NightlyReportService>();

        Assert.Equal(2, await nightly.RunOnceAsync(default));
        Assert.Equal(0, await nightly.RunOnceAsync(default));

        await using (var db = _database.Open())
        {
            var faces = await db.Datasets.SingleAsync(d => d.Name == KnownResults.DatasetName);
            faces.ResultsChangedAt = clock.GetUtcNow().AddMinutes(5);
            await db.SaveChangesAsync();
        }
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await nightly.RunOnceAsync(default));

        await using (var db = _database.Open())
        {
            var triggers = await db.Reports.Select(r => r.Trigger).ToListAsync();
            Assert.Equal(3, triggers.Count);
            Assert.All(triggers, t => Assert.Equal("nightly", t));
        }
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_database.Folder, "out", "reports", "faces"), "*.html").Length);
    }

    [Fact]
    public async Task Runs_at_the_cron_time_in_utc_and_not_before()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 11, 1, 0, 0, TimeSpan.Zero));
        await using var nightly = await StartOnSeededDatabaseAsync(clock);
        clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(200);
        Assert.Equal(0, await CountReportsAsync());

        clock.Advance(TimeSpan.FromMinutes(1)); // 02:00 UTC
        await AssertReportCountReachesAsync(2);
    }

    [Fact]
    public async Task Runs_on_time_when_the_clock_moved_between_reading_it_and_arming_the_timer()
    {
        // 01:00, the run is due at 02:00; 59 minutes pass between the service reading the clock and its timer
        // being armed (a suspended VM, a loaded machine). A timer armed for the whole gap would fire at 02:59.
        var clock = new ClockThatMovesBeforeTheFirstTimer(new DateTimeOffset(2026, 1, 11, 1, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(59));
        await using var nightly = await StartOnSeededDatabaseAsync(clock);
        await clock.FirstTimerArmed.WaitAsync(TimeSpan.FromSeconds(20)); // now 01:59
        Assert.Equal(0, await CountReportsAsync());

        clock.Advance(TimeSpan.FromMinutes(1)); // 02:00 UTC
        await AssertReportCountReachesAsync(2);
    }

    /// <summary>A fake clock that jumps forward just before the first timer is created from it.</summary>
    private sealed class ClockThatMovesBeforeTheFirstTimer(DateTimeOffset start, TimeSpan jump) : FakeTimeProvider(start)
    {
        private readonly TaskCompletionSource _firstTimerArmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _timers;

        public Task FirstTimerArmed => _firstTimerArmed.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var first = Interlocked.Increment(ref _timers) == 1;
            if (first)
                Advance(jump);
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (first)
                _firstTimerArmed.TrySetResult();
            return timer;
        }
    }

    [Fact]
    public async Task A_bad_schedule_turns_the_nightly_run_off_without_failing_the_host()
    {
        await using var services = Services(new FakeTimeProvider(), schedule: "every night please");
        var nightly = services.GetRequiredService<NightlyReportService>();

        await nightly.StartAsync(default);
        await nightly.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(nightly.ExecuteTask.IsCompletedSuccessfully);
    }

    /// <summary>The known results seeded, the service started on them; disposing stops it.</summary>
    private async Task<StartedNightly> StartOnSeededDatabaseAsync(TimeProvider clock)
    {
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db);
        var services = Services(clock);
        var nightly = services.GetRequiredService<NightlyReportService>();
        await nightly.StartAsync(default);
        return new StartedNightly(services, nightly);
    }

    private sealed class StartedNightly(ServiceProvider services, NightlyReportService service) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await service.StopAsync(default);
            await services.DisposeAsync();
        }
    }

    private async Task AssertReportCountReachesAsync(int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await CountReportsAsync() < expected && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(expected, await CountReportsAsync());
    }

    private async Task<int> CountReportsAsync()
    {
        await using var db = _database.Open();
        return await db.Reports.CountAsync();
    }
}
