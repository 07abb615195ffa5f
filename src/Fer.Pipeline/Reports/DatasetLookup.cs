using Fer.Data;
using Microsoft.EntityFrameworkCore;

namespace Fer.Pipeline.Reports;

/// <summary>Finds a dataset by what people type: its name, or "container/name" when the name exists in several containers.</summary>
public static class DatasetLookup
{
    public static async Task<long> FindIdAsync(FerDbContext db, string nameOrQualified, string? container = null, CancellationToken cancellationToken = default)
    {
        var name = nameOrQualified;
        if (container is null)
        {
            var exact = await db.Datasets.AsNoTracking().Where(d => d.Name == nameOrQualified).Select(d => new { d.Id, d.Container }).ToListAsync(cancellationToken);
            if (exact.Count == 1)
                return exact[0].Id;
            if (exact.Count > 1)
                throw new DatasetNotFoundException(
                    $"dataset name '{nameOrQualified}' exists in several containers ({string.Join(", ", exact.Select(e => e.Container))}); say which as container/name");
            var slash = nameOrQualified.IndexOf('/');
            if (slash <= 0)
                throw new DatasetNotFoundException($"no dataset named '{nameOrQualified}'");
            container = nameOrQualified[..slash];
            name = nameOrQualified[(slash + 1)..];
        }
        return await db.Datasets.AsNoTracking().Where(d => d.Container == container && d.Name == name).Select(d => (long?)d.Id).SingleOrDefaultAsync(cancellationToken)
               ?? throw new DatasetNotFoundException($"no dataset named '{name}' in container '{container}'");
    }
}
