using Azure.Storage.Blobs;

namespace Fer.Bench;

/// <summary>The replicated dataset in blob storage (Azurite): uploaded once per image count and reused by every row and run.</summary>
public static class BlobDataset
{
    public static async Task<string> EnsureUploadedAsync(BlobContainerClient container, BenchImages images, int count)
    {
        await container.CreateIfNotExistsAsync();
        var folder = $"images-{count}";
        var marker = container.GetBlobClient($"{folder}/_complete");
        if (await marker.ExistsAsync())
            return folder;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await container.GetBlobClient($"{folder}/{images.RelativePath(i)}").UploadAsync(BinaryData.FromBytes(images.Png(i)), overwrite: true, ct));
        // The marker (ignored by ingestion: it starts with '_') says the upload finished, so an interrupted one is redone.
        await marker.UploadAsync(BinaryData.FromString(""), overwrite: true);
        return folder;
    }
}
