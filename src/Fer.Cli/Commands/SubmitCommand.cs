using Azure;
using Fer.Cli.Output;
using Fer.Pipeline.Hosting;
using Fer.Pipeline.Ingestion;
using Fer.Pipeline.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Fer.ImageSources;

namespace Fer.Cli.Commands;

/// <summary><c>fer submit &lt;container&gt;/&lt;folder&gt;</c>: ingest one blob folder now; workers score it.</summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("container/folder") { Description = "Blob container and top-level folder, e.g. fer-images/faces-2026-11" };
        var postgres = ServiceConnections.Postgres();
        var rabbitMq = ServiceConnections.RabbitMq();
        var blob = ServiceConnections.Blob();
        var prefix = ServiceConnections.EntityPrefix();
        return GuardedCommand.Create("submit", "Queue every new or changed image of a blob folder for scoring",
            [target, postgres, rabbitMq, blob, prefix], async (parseResult, cancellationToken) =>
        {
            var value = parseResult.GetRequiredValue(target).Trim('/');
            var slash = value.IndexOf('/');
            if (slash <= 0 || slash == value.Length - 1)
                throw new BadInputException("expected <container>/<folder>, e.g. fer-images/faces-2026-11");
            if (DatasetNames.Problem(value[..slash], value[(slash + 1)..]) is { } problem)
                throw new BadInputException(problem);
            var configuration = ServiceConnections.Build(parseResult.GetValue(postgres), parseResult.GetValue(rabbitMq),
                parseResult.GetValue(blob), parseResult.GetValue(prefix));
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(configuration);
            builder.Logging.ClearProviders();
            builder.Services
                .AddFerDatabase(builder.Configuration)
                .AddFerBlobStorage(builder.Configuration)
                .AddFerIngestion(builder.Configuration)
                .AddFerBus(builder.Configuration);
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            try
            {
                var (container, folder) = (value[..slash], value[(slash + 1)..]);
                var result = await host.Services.GetRequiredService<DatasetIngestor>().IngestAsync(container, folder, cancellationToken);
                var listing = host.Services.GetRequiredService<BlobImageSource>();
                if (result.Listed == 0)
                    throw new BadInputException(listing.DescribeFolderWithoutImages(container, folder));
                var skipped = SkipReasons.Summarize(listing.SkippedByLastListing(container, folder));
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(
                    $"{result.Container}/{result.Dataset} (dataset {result.DatasetId}): {Counted.Of(result.Listed, "image")} listed, " +
                    $"{result.Added} new, {result.Changed} changed, {result.Unchanged} unchanged, {result.Published} queued" +
                    (skipped is null ? "" : $"; {skipped}"));
                return ExitCodes.Success;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                throw new BadInputException($"container {value[..slash]} not found");
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
    }
}
