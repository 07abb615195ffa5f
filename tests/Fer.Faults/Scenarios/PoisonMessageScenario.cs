using System.Text;

namespace Fer.Faults.Scenarios;

/// <summary>
/// Three poison messages published straight to the work queue while a folder is scored: a body that is not JSON, an
/// envelope whose ScoreImage has fields of the wrong type, and bytes of an unknown content type. Each must end in the
/// error (or skipped) queue and the folder must finish as if they had not been there.
/// </summary>
public sealed class PoisonMessageScenario() : FaultScenario("poison-message", "poison messages in the work queue")
{
    public override Task<FaultRow> RunAsync(FaultContext context) => FaultDuringScoringAsync(context, async _ =>
    {
        var settings = context.Settings;
        var prefix = $"faults-{settings.RunId}";
        var marker = $"fer-faults-poison-{settings.RunId}";
        var errorQueue = BrokerCleanup.ErrorQueue(prefix);
        var skippedQueue = WorkQueue.SkippedQueue(prefix);
        var before = await WorkQueue.CountAsync(settings.RabbitMq, errorQueue) + await WorkQueue.CountAsync(settings.RabbitMq, skippedQueue);
        var wrongTypes = "{\"messageId\":\"" + Guid.NewGuid() + "\",\"messageType\":[\"urn:message:Fer.Contracts:ScoreImage\"]," +
                         "\"message\":{\"imageId\":\"" + marker + "\",\"datasetId\":[1,2],\"container\":7,\"blobName\":null,\"eTag\":{}}}";
        await WorkQueue.PublishAsync(settings.RabbitMq, prefix,
        [
            (Encoding.UTF8.GetBytes($"{{ \"{marker}\": this is not JSON"), WorkQueue.EnvelopeContentType),
            (Encoding.UTF8.GetBytes(wrongTypes), WorkQueue.EnvelopeContentType),
            ([.. Encoding.UTF8.GetBytes(marker), 0xff, 0x00, 0xfe], "application/x-fer-unknown"),
        ]);

        // The wrong-typed one may go through the consumer's retries (up to 5, 30 s apart at most) before it lands.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        uint error = 0, skipped = 0;
        while (DateTime.UtcNow < deadline)
        {
            error = await WorkQueue.CountAsync(settings.RabbitMq, errorQueue);
            skipped = await WorkQueue.CountAsync(settings.RabbitMq, skippedQueue);
            if (error + skipped - before >= 3)
                break;
            await Task.Delay(500);
        }
        // Take exactly the poison out again (by its marker), so the suite's closing error-queue count means what it says.
        var fromError = await WorkQueue.RemoveMarkedAsync(settings.RabbitMq, errorQueue, marker);
        var fromSkipped = await WorkQueue.RemoveMarkedAsync(settings.RabbitMq, skippedQueue, marker);
        if (fromError + fromSkipped != 3)
            throw new InvalidOperationException($"of 3 poison messages {fromError} reached the error queue and {fromSkipped} the skipped queue " +
                                                $"(queues held {error} + {skipped}, {before} before)");
        return $"3 poison messages published: {fromError} in the error queue, {fromSkipped} in the skipped queue, removed by marker afterwards";
    });
}
