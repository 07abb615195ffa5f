using Fer.Contracts;

namespace Fer.Faults.Scenarios;

/// <summary>
/// Every image's ScoreImage message published a second time on purpose, straight after the submit published it once:
/// two copies of each message in the queue, racing each other across both workers. Each image is scored once.
/// </summary>
public sealed class DuplicatePublishScenario() : FaultScenario("duplicate-publish", "every ScoreImage published twice")
{
    public override async Task<FaultRow> RunAsync(FaultContext context)
    {
        await UploadFolderAsync(context);
        var stack = context.Stack;
        var folder = Name;
        var published = await stack.SubmitAsync(folder);

        var copies = new List<(byte[], string?)>();
        await using (var command = stack.Data.CreateCommand("""
            SELECT i.id, i.dataset_id, i.path, i.e_tag FROM images i JOIN datasets d ON d.id = i.dataset_id
             WHERE d.container = @container AND d.name = @dataset
            """))
        {
            command.Parameters.AddWithValue("container", stack.Container.Name);
            command.Parameters.AddWithValue("dataset", folder);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var message = new ScoreImage(reader.GetInt64(0), reader.GetInt64(1), stack.Container.Name, $"{folder}/{reader.GetString(2)}",
                    reader.GetString(3), folder);
                copies.Add((WorkQueue.Envelope(message, Guid.NewGuid()), WorkQueue.EnvelopeContentType));
            }
        }
        await WorkQueue.PublishAsync(context.Settings.RabbitMq, $"faults-{context.Settings.RunId}", copies);
        var counts = await SettleFolderAsync(context, quietSeconds: 5);
        return FaultRow.From(Fault, context.Expected, counts, $"submit published {published}; {copies.Count} copies published again right after");
    }
}
