using Fer.Data;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Embedded;

/// <summary>What the database already holds of a folder when a run starts: its dataset and how many images (not gone).</summary>
public sealed record EarlierRun(long DatasetId, int Rows)
{
    public static async Task<EarlierRun?> FindAsync(IDbContextFactory<FerDbContext> factory, string dataset, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await EmbeddedDatasetQueries.FindIdAsync(db, dataset, cancellationToken) is not { } datasetId)
            return null;
        return new EarlierRun(datasetId, await EmbeddedDatasetQueries.CountKnownAsync(db, datasetId, cancellationToken));
    }
}
