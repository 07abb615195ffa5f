namespace Fer.Faults.Scenarios;

/// <summary>The same folder submitted twice at the same moment: every image gets one row, one message that counts, one result.</summary>
public sealed class ConcurrentIngestScenario() : FaultScenario("concurrent-ingest", "two submits of one folder at once")
{
    public override async Task<FaultRow> RunAsync(FaultContext context)
    {
        await UploadFolderAsync(context);
        var published = await Task.WhenAll(context.Stack.SubmitAsync(Name), context.Stack.SubmitAsync(Name));
        var counts = await SettleFolderAsync(context);
        var row = FaultRow.From(Fault, context.Expected, counts, $"the two submits published {published[0]} + {published[1]} messages");
        // The blob watcher polls the same container, so it may ingest part of the folder between the two
        // submits: fewer messages from the submits is fine; more than one per image would be double ingestion.
        return published.Sum() <= context.Expected
            ? row
            : row with { Problem = $"{published.Sum()} messages published for {context.Expected} images: some image was ingested twice" };
    }
}
