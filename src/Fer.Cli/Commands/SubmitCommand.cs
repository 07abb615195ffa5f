using Azure;
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
        var command = new Command("submit", "Queue every new or changed image of a blob folder for scoring") { target, postgres, rabbitMq, blob, prefix };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var value = parseResult.GetRequiredValue(target).Trim('/');
            var slash = value.IndexOf('/');
            if (slash <= 0 || slash == value.Length - 1)
            {
                await error.WriteLineAsync("error: expected <container>/<folder>, e.g. fer-images/faces-2026-11");
                return 2;
            }
            if (DatasetNames.Problem(value[..slash], value[(slash + 1)..]) is { } problem)
            {
                await error.WriteLineAsync($"error: {problem}");
                return 2;
            }
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
                var result = await host.Services.GetRequiredService<DatasetIngestor>()
                    .IngestAsync(value[..slash], value[(slash + 1)..], cancellationToken);
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(
                    $"{result.Container}/{result.Dataset} (dataset {result.DatasetId}): {result.Listed} images listed, " +
                    $"{result.Added} new, {result.Changed} changed, {result.Unchanged} unchanged, {result.Published} queued");
                return result.Listed == 0 ? 2 : 0;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                await error.WriteLineAsync($"error: container {value[..slash]} not found");
                return 2;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }
}
