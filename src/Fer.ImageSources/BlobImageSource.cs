using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Fer.Core.Imaging;

namespace Fer.ImageSources;

/// <summary>Images in Azure Blob Storage (Azurite locally): container = storage container, dataset = top-level folder.</summary>
public sealed class BlobImageSource(BlobServiceClient service) : IImageSource
{
    public async IAsyncEnumerable<IReadOnlyList<SourceImage>> ListImagesAsync(string container, string dataset, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = service.GetBlobContainerClient(container);
        var pages = client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: dataset + "/", cancellationToken: cancellationToken).AsPages(pageSizeHint: pageSize);
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            var images = page.Values
                .Where(b => ImageFileNames.IsImage(b.Name))
                .Select(b => new SourceImage(b.Name, b.Properties.ETag?.ToString() ?? "", b.Properties.ContentLength ?? 0,
                    b.Properties.LastModified ?? DateTimeOffset.MinValue))
                .ToList();
            if (images.Count > 0)
                yield return images;
        }
    }

    /// <summary>
    /// One streaming request per image: the size comes with the response headers, so an oversized blob is refused
    /// before its body is read, and a body that grows past what the headers said is cut off at the limit.
    /// </summary>
    public async Task<byte[]> ReadAsync(string container, string name, long maxBytes, CancellationToken cancellationToken)
    {
        var blob = service.GetBlobContainerClient(container).GetBlobClient(name);
        try
        {
            using var response = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            var length = response.Details.ContentLength;
            if (length > maxBytes)
                throw new InvalidImageException($"file of {length} bytes exceeds the limit of {maxBytes}");
            var bytes = new byte[length];
            await response.Content.ReadExactlyAsync(bytes, cancellationToken);
            return bytes;
        }
        catch (RequestFailedException ex) when (ex.Status == 404 || ex.ErrorCode == BlobErrorCode.BlobNotFound || ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw new ImageNotFoundException($"{container}/{name}");
        }
    }

    public async Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await service.GetBlobContainerClient(container).GetBlobClient(name).ExistsAsync(cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 || ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return false;
        }
    }
}
