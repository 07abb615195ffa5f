using Fer.Inference.Faces;
using Fer.Core.Imaging;
using Fer.Inference;
using Fer.Pipeline.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Fer.Ingest.Apis;

/// <summary>POST /classify: one image in the raw body, every face's box and scores back at once (no queue, no database).
/// A crop is one face; a photo goes through the face detector, as in the worker.</summary>
public static class ClassifyEndpoint
{
    public static RouteHandlerBuilder MapClassifyEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/classify", async (HttpRequest request, EmotionClassifier classifier, FaceLocator faces, IOptions<IngestOptions> options, CancellationToken cancellationToken) =>
        {
            var limit = options.Value.MaxClassifyBytes;
            if (request.ContentLength > limit)
                return Results.Problem($"image larger than {limit} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
            var body = await ReadLimitedAsync(request.Body, limit, cancellationToken);
            if (body is null)
                return Results.Problem($"image larger than {limit} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
            LocatedImage image;
            try
            {
                // ?faces=crops treats the body as one face crop whatever its size (the .fer-crops marker of a request).
                image = faces.Locate(body, folderIsCrops: string.Equals(request.Query["faces"], "crops", StringComparison.OrdinalIgnoreCase));
            }
            catch (InvalidImageException ex)
            {
                return Results.Problem(ex.Reason, statusCode: StatusCodes.Status400BadRequest);
            }
            var predictions = classifier.Classify(image.Faces);
            return Results.Ok(ClassificationResponse.From(image, predictions));
        }).DisableAntiforgery();

    // Reads at most limit + 1 bytes, so a chunked body without Content-Length cannot exhaust memory.
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
