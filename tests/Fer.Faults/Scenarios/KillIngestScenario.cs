namespace Fer.Faults.Scenarios;

/// <summary>
/// SIGKILL the ingest host in the middle of a submit (some chunks committed, some of them published, the rest not even
/// listed yet). A new ingest host starts; its sweeper re-publishes committed rows that never got published_at, and
/// its watcher re-lists the now-known folder for the images the dead one never reached.
/// </summary>
public sealed class KillIngestScenario() : FaultScenario("kill-ingest", "ingest SIGKILL mid-submit")
{
    public override async Task<FaultRow> RunAsync(FaultContext context)
    {
        await UploadFolderAsync(context);
        var stack = context.Stack;
        var submit = stack.SubmitAsync(Name);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var rows = 0;
        while (DateTime.UtcNow < deadline && !submit.IsCompleted)
        {
            rows = (await FaultLedger.CountAsync(stack.Data, stack.Container.Name, Name)).Rows;
            if (rows > 0)
                break;
            await Task.Delay(20);
        }
        var killedEarly = !submit.IsCompleted;
        await stack.RestartIngestHardAsync();
        try
        {
            await submit;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            // expected: the connection died with the host
        }
        var unpublished = await CountUnpublishedAsync(stack);
        var counts = await SettleFolderAsync(context);
        var row = FaultRow.From(Fault, context.Expected, counts,
            $"ingest killed with {rows} rows committed ({unpublished} still unpublished once the new host was ready); the new ingest host recovered the rest");
        return killedEarly ? row : row with { Problem = "the submit finished before the kill; the fault was not injected" };
    }

    private async Task<long> CountUnpublishedAsync(FaultStack stack)
    {
        await using var command = stack.Data.CreateCommand("""
            SELECT count(*) FROM images i JOIN datasets d ON d.id = i.dataset_id
             WHERE d.container = @container AND d.name = @dataset AND i.published_at IS NULL
            """);
        command.Parameters.AddWithValue("container", stack.Container.Name);
        command.Parameters.AddWithValue("dataset", Name);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
