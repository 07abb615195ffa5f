using Fer.Data;
using Fer.ImageSources;
using Microsoft.EntityFrameworkCore;

namespace Fer.Reporting;

/// <summary>
/// Finds a dataset by what people type: its name ("samples"), its folder (a blob folder, or a local folder's path,
/// relative or absolute), or "container/name" when the name exists in several containers.
/// </summary>
public static class DatasetLookup
{
    /// <summary>How many known dataset names a "not found" message lists at most.</summary>
    public const int NamesListed = 20;

    /// <param name="listKnownNames">a "not found" message lists the names the database knows (the CLI; not HTTP answers)</param>
    public static async Task<long> FindIdAsync(FerDbContext db, string nameOrQualified, string? container = null,
        CancellationToken cancellationToken = default, bool listKnownNames = false)
    {
        var name = nameOrQualified;
        if (container is null)
        {
            var exact = await db.Datasets.AsNoTracking().Where(d => d.Name == nameOrQualified)
                .Select(d => new { d.Id, d.Container, d.Path }).ToListAsync(cancellationToken);
            if (exact.Count == 1)
                return exact[0].Id;
            if (exact.Count > 1)
            {
                var containers = exact.Select(e => e.Container).Distinct().ToList();
                throw new DatasetNotFoundException(containers.Count > 1
                    ? $"dataset name '{nameOrQualified}' exists in several containers ({string.Join(", ", containers)}); say which as container/name"
                    // Two local folders with the same last part (/a/samples, /b/samples): the path tells them apart.
                    : $"dataset name '{nameOrQualified}' belongs to several folders ({string.Join(", ", exact.Select(e => e.Path))}); give the folder's path instead");
            }
            if (await FindByPathAsync(db, nameOrQualified, cancellationToken) is { } byPath)
                return byPath;
            var slash = nameOrQualified.IndexOf('/');
            if (slash <= 0)
                throw await NotFoundAsync(db, $"no dataset named '{nameOrQualified}'", listKnownNames, cancellationToken);
            container = nameOrQualified[..slash];
            name = nameOrQualified[(slash + 1)..];
        }
        return await db.Datasets.AsNoTracking().Where(d => d.Container == container && (d.Name == name || d.Path == name))
                   .Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken)
               ?? throw await NotFoundAsync(db, $"no dataset named '{name}' in container '{container}'", listKnownNames, cancellationToken);
    }

    /// <summary>The names a database knows, for "not found" messages: "samples (local: /home/me/samples)".</summary>
    public static async Task<IReadOnlyList<string>> KnownNamesAsync(FerDbContext db, CancellationToken cancellationToken = default)
    {
        var known = await db.Datasets.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.Path).Take(NamesListed + 1)
            .Select(d => new { d.Name, d.Container, d.Path }).ToListAsync(cancellationToken);
        return known.Select(d => d.Path == d.Name ? $"{d.Name} ({d.Container})" : $"{d.Name} ({d.Container}: {d.Path})").ToList();
    }

    private static async Task<long?> FindByPathAsync(FerDbContext db, string folder, CancellationToken cancellationToken)
    {
        var candidates = new List<string> { folder.TrimEnd('/') };
        // A local folder as typed on the command line: relative to the working directory.
        if (!folder.Contains("://", StringComparison.Ordinal))
            candidates.Add(LocalFolderImageSource.DatasetName(folder));
        var ids = await db.Datasets.AsNoTracking().Where(d => candidates.Contains(d.Path)).Select(d => d.Id).Take(2).ToListAsync(cancellationToken);
        return ids.Count == 1 ? ids[0] : null;
    }

    private static async Task<DatasetNotFoundException> NotFoundAsync(FerDbContext db, string message, bool listKnownNames,
        CancellationToken cancellationToken)
    {
        if (!listKnownNames)
            return new DatasetNotFoundException(message);
        var known = await KnownNamesAsync(db, cancellationToken);
        if (known.Count == 0)
            return new DatasetNotFoundException($"{message}; the database holds no dataset yet");
        var listed = string.Join(Environment.NewLine, known.Take(NamesListed).Select(k => "  " + k));
        var more = known.Count > NamesListed ? $"{Environment.NewLine}  ..." : "";
        return new DatasetNotFoundException($"{message}; known datasets:{Environment.NewLine}{listed}{more}");
    }
}
