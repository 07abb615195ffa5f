using Fer.Data;
using Fer.Data.Entities;
using Fer.ImageSources;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Embedded;

/// <summary>The few questions `fer run` asks its SQLite file about the folder's dataset while it runs.</summary>
internal static class EmbeddedDatasetQueries
{
    /// <summary>The local folder's dataset id, or null before any run has listed it.</summary>
    public static Task<long?> FindIdAsync(FerDbContext db, string dataset, CancellationToken cancellationToken) =>
        db.Datasets.Where(d => d.Container == LocalFolderImageSource.Container && d.Path == dataset)
            .Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The dataset's images whose file is still there (every state but Gone).</summary>
    public static Task<int> CountKnownAsync(FerDbContext db, long datasetId, CancellationToken cancellationToken) =>
        db.Images.CountAsync(i => i.DatasetId == datasetId && i.State != ImageState.Gone, cancellationToken);

    /// <summary>The dataset's Pending images, through the (state, published_at) index.</summary>
    public static Task<int> CountPendingAsync(FerDbContext db, long datasetId, CancellationToken cancellationToken) =>
        db.Images.CountAsync(i => i.State == ImageState.Pending && i.DatasetId == datasetId, cancellationToken);
}
