using Cronos;
using Fer.Data;
using Fer.Data.Reports;
using Fer.Reporting.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fer.Reporting;

/// <summary>
/// On the <see cref="ReportSettings.Schedule"/> cron (UTC), reports every labelled dataset whose results changed
/// since its last report. One dataset's failure is logged and does not stop the others or the host.
/// </summary>
public sealed class NightlyReportService(IServiceScopeFactory scopes, IOptions<ReportSettings> settings, TimeProvider clock,
    ILogger<NightlyReportService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSleepSlice = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        CronExpression schedule;
        try
        {
            schedule = CronExpression.Parse(settings.Value.Schedule);
        }
        catch (CronFormatException ex)
        {
            logger.LogError(ex, "Nightly reports are off: {Setting} '{Schedule}' is not a cron expression", "Fer:Reports:Schedule", settings.Value.Schedule);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(clock.GetUtcNow(), TimeZoneInfo.Utc);
            if (next is null)
                return;
            logger.LogInformation("Next report run at {Next:u}", next);
            try
            {
                await SleepUntilAsync(next.Value, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RunOnceAsync(stoppingToken);
        }
    }

    /// <summary>
    /// Sleeps in slices of at most <see cref="MaxSleepSlice"/>, reading the clock after each. One long timer armed
    /// after reading the clock fires late by however far the clock moved in between (a suspended VM, a stepped
    /// clock, a test's fake clock advanced concurrently); a short slice bounds that lateness.
    /// </summary>
    private async Task SleepUntilAsync(DateTimeOffset due, CancellationToken stoppingToken)
    {
        for (var now = clock.GetUtcNow(); now < due; now = clock.GetUtcNow())
        {
            var remaining = due - now;
            await Task.Delay(remaining < MaxSleepSlice ? remaining : MaxSleepSlice, clock, stoppingToken);
        }
    }

    /// <summary>Reports every due dataset now; returns how many reports were published.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<DueReportsQuery.DueDataset> due;
        using (var scope = scopes.CreateScope())
        {
            try
            {
                due = await new DueReportsQuery(scope.ServiceProvider.GetRequiredService<FerDbContext>()).RunAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not list the datasets due for a report");
                return 0;
            }
        }
        var published = 0;
        foreach (var dataset in due)
        {
            // A scope per dataset: a fresh DbContext, so one failed save cannot poison the next report.
            using var scope = scopes.CreateScope();
            try
            {
                var result = await scope.ServiceProvider.GetRequiredService<ReportService>()
                    .CreateAsync(dataset.DatasetId, ReportPublisher.NightlyTrigger, cancellationToken);
                published++;
                logger.LogInformation("Report {ReportId} of dataset {Dataset}: accuracy {Accuracy:P1} on {Labelled} images, written to {Html}",
                    result.ReportId, dataset.Name, result.Report.Accuracy, result.Report.LabelledCount, result.HtmlLocation);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Report of dataset {Dataset} failed", dataset.Name);
            }
        }
        return published;
    }
}
