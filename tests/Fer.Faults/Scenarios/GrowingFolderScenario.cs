namespace Fer.Faults.Scenarios;

/// <summary>
/// A folder that keeps growing while it is ingested: a third is uploaded, then the rest is uploaded slowly while the
/// submit runs; the watcher, which re-lists known folders every poll, picks up what the submit did not see.
/// </summary>
public sealed class GrowingFolderScenario() : FaultScenario("growing-folder", "folder grows during ingestion")
{
    public override async Task<FaultRow> RunAsync(FaultContext context)
    {
        var stack = context.Stack;
        var total = context.Settings.Images;
        var head = total / 3;
        await stack.UploadAsync(context.Images, Name, 0, head);
        var rest = stack.UploadAsync(context.Images, Name, head, total, parallelism: 2);
        var published = await stack.SubmitAsync(Name);
        await rest;
        var counts = await SettleFolderAsync(context);
        return FaultRow.From(Fault, context.Expected, counts,
            $"{head + FaultImages.Unscorable.Count} images uploaded before the submit began (it published {published}); the watcher ingested the rest as it arrived");
    }
}
