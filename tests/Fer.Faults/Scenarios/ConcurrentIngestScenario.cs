namespace Fer.Faults.Scenarios;

/// <summary>The same folder submitted twice at the same moment: every image gets one row, one message that counts, one result.</summary>
public sealed class ConcurrentIngestScenario : FaultScenario
{
    public override string Name => "concurrent-ingest";
    public override string Fault => "two submits of one folder at once";

    public override async Task<FaultRow> RunAsync(FaultContext context)
    {
        var stack = context.Stack;
        await stack.UploadAsync(context.Images, Name, 0, context.Settings.Images);
        var first = stack.SubmitAsync(Name);
        var second = stack.SubmitAsync(Name);
        var published = await Task.WhenAll(first, second);
        var counts = await stack.SettleAsync(Name, context.Expected, context.Settings.SettleTimeout, TimeSpan.FromSeconds(3));
        var row = FaultRow.From(Fault, context.Expected, counts, $"the two submits published {published[0]} + {published[1]} messages");
        // The blob watcher polls the same container, so it may ingest part of the folder between the two
        // submits: fewer messages from the submits is fine; more than one per image would be double ingestion.
        return published.Sum() <= context.Expected
            ? row
            : row with { Problem = $"{published.Sum()} messages published for {context.Expected} images: some image was ingested twice" };
    }
}
