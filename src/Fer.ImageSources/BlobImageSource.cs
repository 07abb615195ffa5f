using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Fer.Core.Imaging;

namespace Fer.ImageSources;

/// <summary>Images in Azure Blob Storage (Azurite locally): container = storage container, dataset = top-level folder.</summary>
public sealed class BlobImageSource(BlobServiceClient service) : IImageSource
{
    // "container/dataset" -> what its latest complete listing left out, by reason.
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, int>> _skippedByListing = new(StringComparer.Ordinal);

    /// <summary>What the latest complete listing of the folder left out, by reason (<see cref="SkipReasons"/>; markers are
    /// not counted); empty before one. Two listings of one folder at once leave the later one's counts.</summary>
    public IReadOnlyDictionary<string, int> SkippedByLastListing(string container, string dataset) =>
        _skippedByListing.GetValueOrDefault($"{container}/{dataset}") ?? new Dictionary<string, int>();

    public async IAsyncEnumerable<IReadOnlyList<SourceImage>> ListImagesAsync(string container, string dataset, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = service.GetBlobContainerClient(container);
        var pages = client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: dataset + "/", cancellationToken: cancellationToken).AsPages(pageSizeHint: pageSize);
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            var images = new List<SourceImage>(page.Values.Count);
            foreach (var blob in page.Values)
            {
                if (ImageFileNames.IsImage(blob.Name))
                    images.Add(new SourceImage(blob.Name, blob.Properties.ETag?.ToString() ?? "", blob.Properties.ContentLength ?? 0,
                        blob.Properties.LastModified ?? DateTimeOffset.MinValue));
                else
                    CountSkipped(skipped, blob.Name);
            }
            if (images.Count > 0)
                yield return images;
        }
        _skippedByListing[$"{container}/{dataset}"] = skipped;
    }

    // Markers are left out of the counts as the local listing leaves them out of its report: they were asked for.
    private static void CountSkipped(Dictionary<string, int> counts, string name)
    {
        if (!ImageFileNames.IsDatasetMarker(name) && ImageFileNames.SkipReasonOf(name) is { } reason)
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
    }

    /// <summary>
    /// The message for a folder in which the latest listing found no image: what was looked for and why each other blob
    /// was left out (a folder of iPhone photos is all HEIC, and the reason says to convert them). Built from that
    /// listing's counts, so the folder is not listed a second time.
    /// </summary>
    public string DescribeFolderWithoutImages(string container, string dataset)
    {
        var skipped = SkipReasons.Summarize(SkippedByLastListing(container, dataset));
        return $"no images under {container}/{dataset}/ (looked for {ImageFileNames.ExtensionList})" + (skipped is null ? "" : $"; {skipped}");
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
