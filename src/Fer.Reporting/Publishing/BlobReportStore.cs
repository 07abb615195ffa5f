using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Fer.Reporting.Publishing;

/// <summary>
/// Writes report files as blobs (default container <see cref="DefaultContainer"/>), created on first use. An upload is
/// atomic for readers: a small one is a single Put Blob, a large one uncommitted blocks that become the blob only in the
/// final Put Block List, so a host killed mid-upload leaves the old blob or none, never part of one.
/// </summary>
public sealed class BlobReportStore(BlobContainerClient container) : IReportStore
{
    public const string DefaultContainer = "fer-reports";

    private bool _containerReady;

    public async Task<string> WriteAsync(string relativePath, string content, string contentType, CancellationToken cancellationToken)
    {
        if (!_containerReady)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerReady = true;
        }
        var blob = container.GetBlobClient(relativePath);
        await blob.UploadAsync(BinaryData.FromString(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
        return blob.Uri.ToString();
    }
}
