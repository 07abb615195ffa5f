using Azure;
using Fer.Pipeline.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Fer.ImageSources;

namespace Fer.Ingest.Apis;

/// <summary>POST /datasets/{container}/{folder}/submit: ingest one folder now instead of waiting for the watcher.</summary>
public static class SubmitEndpoint
{
    public static RouteHandlerBuilder MapSubmitEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/datasets/{container}/{folder}/submit", async (string container, string folder, DatasetIngestor ingestor,
            BlobImageSource blobs, CancellationToken cancellationToken) =>
        {
            var dataset = folder.Trim('/');
            if (DatasetNames.Problem(container, dataset) is { } problem)
                return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
            try
            {
                var result = await ingestor.IngestAsync(container, dataset, cancellationToken);
                if (result.Listed > 0)
                    return Results.Ok(result with { Skipped = blobs.SkippedByLastListing(container, dataset) });
                return Results.Problem(blobs.DescribeFolderWithoutImages(container, dataset),
                    statusCode: StatusCodes.Status404NotFound);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return Results.Problem($"container {container} not found", statusCode: StatusCodes.Status404NotFound);
            }
            catch (RequestFailedException ex) when (ex.Status == 400)
            {
                // Storage refused the name itself (e.g. upper case or punctuation in a container name): the caller's mistake, not a server error.
                return Results.Problem($"storage rejected {container}/{folder}: {ex.ErrorCode ?? ex.Message}", statusCode: StatusCodes.Status400BadRequest);
            }
        });
}
