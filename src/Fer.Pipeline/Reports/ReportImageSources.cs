using Azure;
using Azure.Storage.Blobs;
using Fer.Core.Imaging;

namespace Fer.Pipeline.Reports;

/// <summary>The usual places report thumbnails come from.</summary>
public static class ReportImageSources
{
    /// <summary>Images under a local dataset folder (embedded mode): path is relative to it.</summary>
    public static ReportImageSource FromFolder(string datasetFolder)
    {
        var root = Path.GetFullPath(datasetFolder);
        return async (path, cancellationToken) =>
        {
            var full = Path.GetFullPath(Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar)));
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
                return null;
            if (new FileInfo(full).Length > ImageLimits.Default.MaxEncodedBytes)
                return null;
            return await File.ReadAllBytesAsync(full, cancellationToken);
        };
    }

    /// <summary>Images of a blob dataset: blob name is "&lt;dataset&gt;/&lt;path&gt;" in the dataset's container.</summary>
    public static ReportImageSource FromBlobs(BlobServiceClient service, string container, string datasetName)
    {
        var containerClient = service.GetBlobContainerClient(container);
        return async (path, cancellationToken) =>
        {
            try
            {
                var blob = containerClient.GetBlobClient($"{datasetName}/{path}");
                var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
                if (properties.Value.ContentLength > ImageLimits.Default.MaxEncodedBytes)
                    return null;
                var content = await blob.DownloadContentAsync(cancellationToken);
                return content.Value.Content.ToArray();
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
        };
    }
}
