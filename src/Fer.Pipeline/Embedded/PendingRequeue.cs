using Fer.Contracts;
using Fer.Data;
using Fer.Data.Entities;
using Fer.ImageSources;
using Fer.Pipeline.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Embedded;

/// <summary>
/// Publishes again the Pending rows of a dataset that an earlier, stopped run left behind. Embedded mode keeps its
/// messages in memory, so after a Ctrl-C, a SIGKILL or a closed terminal nothing else owns those rows: without this
/// a rerun would wait on them for ever. Rows published since <c>publishedBefore</c> are left alone.
/// </summary>
public sealed class PendingRequeue(IDbContextFactory<FerDbContext> factory, ScoreRequestPublisher publisher)
{
    private const int ChunkSize = 1000;

    /// <returns>how many rows were published again</returns>
    public async Task<int> RequeueAsync(long datasetId, string container, string dataset, DateTimeOffset publishedBefore,
        CancellationToken cancellationToken)
    {
        var requeued = 0;
        var afterId = 0L;
        while (true)
        {
            // Keyset pages: a dataset of a million leftovers never sits in memory at once.
            List<ScoreImage> chunk;
            await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            {
                var rows = await db.Images.AsNoTracking()
                    .Where(i => i.DatasetId == datasetId && i.State == ImageState.Pending && i.Id > afterId
                                && (i.PublishedAt == null || i.PublishedAt < publishedBefore))
                    .OrderBy(i => i.Id)
                    .Take(ChunkSize)
                    .Select(i => new { i.Id, i.Path, i.ETag })
                    .ToListAsync(cancellationToken);
                if (rows.Count == 0)
                    return requeued;
                afterId = rows[^1].Id;
                chunk = rows.Select(r => new ScoreImage(r.Id, datasetId, container, ImageFileNames.FullName(dataset, r.Path), r.ETag, dataset)).ToList();
            }
            requeued += await publisher.PublishAsync(chunk, cancellationToken);
        }
    }
}
