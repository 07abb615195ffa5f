using Fer.Data;
using Fer.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Embedded;

/// <summary>What the database already holds of a folder when a run starts: its dataset and how many images (not gone).</summary>
public sealed record EarlierRun(long DatasetId, int Rows)
{
    public static async Task<EarlierRun?> FindAsync(IDbContextFactory<FerDbContext> factory, string container, string dataset,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var id = await db.Datasets.Where(d => d.Container == container && d.Path == dataset).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is not { } datasetId)
            return null;
        var rows = await db.Images.CountAsync(i => i.DatasetId == datasetId && i.State != ImageState.Gone, cancellationToken);
        return new EarlierRun(datasetId, rows);
    }
}
