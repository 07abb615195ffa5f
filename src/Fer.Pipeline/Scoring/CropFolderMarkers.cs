using System.Collections.Concurrent;
using Fer.Contracts;
using Fer.Inference.Faces;
using Fer.ImageSources;

namespace Fer.Pipeline.Scoring;

/// <summary>
/// Whether a dataset folder holds the <c>.fer-crops</c> marker (every image in it is a face crop, whatever its size).
/// Asked once per dataset and remembered for <see cref="CacheFor"/>, so a batch costs at most one lookup per dataset.
/// </summary>
public sealed class CropFolderMarkers(IImageSource images)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Container, string Dataset), (bool Marked, DateTime CheckedAt)> _known = new();

    /// <summary>The dataset folder of a message: its own field, else (older messages) the blob name's first segment.</summary>
    public static string DatasetOf(ScoreImage message)
    {
        if (!string.IsNullOrEmpty(message.Dataset))
            return message.Dataset;
        var slash = message.BlobName.IndexOf('/');
        return slash > 0 ? message.BlobName[..slash] : "";
    }

    public async Task<bool> IsCropFolderAsync(string container, string dataset, CancellationToken cancellationToken)
    {
        var key = (container, dataset);
        var now = DateTime.UtcNow;
        if (_known.TryGetValue(key, out var known) && now - known.CheckedAt < CacheFor)
            return known.Marked;
        var marked = dataset.Length > 0 && await images.ExistsAsync(container, $"{dataset}/{FaceOptions.CropsMarker}", cancellationToken);
        _known[key] = (marked, now);
        return marked;
    }
}
