using Fer.Data;
using Fer.Pipeline.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Fer.Tests.Reports;

public sealed class NightlyReportServiceTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

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
        await using (var db = _database.Open())
            await KnownResults.SeedAsync(db);
        await using var services = Services(clock);
        var nightly = services.GetRequiredService<NightlyReportService>();
        await nightly.StartAsync(default);
        try
        {
            clock.Advance(TimeSpan.FromMinutes(59));
            await Task.Delay(200);
            Assert.Equal(0, await CountReportsAsync());

            clock.Advance(TimeSpan.FromMinutes(1)); // 02:00 UTC
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await CountReportsAsync() < 2 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Equal(2, await CountReportsAsync());
        }
        finally
        {
            await nightly.StopAsync(default);
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

    private async Task<int> CountReportsAsync()
    {
        await using var db = _database.Open();
        return await db.Reports.CountAsync();
    }
}
