using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Fer.Pipeline.Reports;

/// <summary>Writes report files as blobs (default container <see cref="DefaultContainer"/>), created on first use.</summary>
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
