using Fer.Cli.Commands;
using Fer.ImageSources;
using Fer.Reporting;
using Microsoft.EntityFrameworkCore;

namespace Fer.Cli.Export;

/// <summary>Finds the dataset a person named on the command line, or says which ones there are.</summary>
public static class ExportDatasets
{
    private const int NamesListed = 20;

    /// <summary>
    /// The dataset's id: by name or container/name (<see cref="DatasetLookup"/>); failing that, an embedded run's
    /// folder given as a path (<c>samples</c>, <c>./samples</c>) or by its last folder name when only one has it.
    /// </summary>
    /// <exception cref="BadInputException">none matches, or several do: the message lists the known datasets</exception>
    public static async Task<long> FindIdAsync(FerDbContext db, string asked, CancellationToken cancellationToken)
    {
        try
        {
            return await DatasetLookup.FindIdAsync(db, asked, cancellationToken: cancellationToken);
        }
        catch (DatasetNotFoundException ex) when (!ex.Message.Contains("several containers", StringComparison.Ordinal))
        {
            var local = db.Datasets.AsNoTracking().Where(d => d.Container == LocalFolderImageSource.Container);
            var asPath = LocalFolderImageSource.DatasetName(asked);
            var byPath = await local.Where(d => d.Name == asPath).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
            if (byPath is { } id)
                return id;
            var suffix = "/" + asked.Trim('/');
            var byFolderName = await local.Where(d => d.Name.EndsWith(suffix)).Select(d => new { d.Id, d.Name }).Take(NamesListed).ToListAsync(cancellationToken);
            if (byFolderName.Count == 1)
                return byFolderName[0].Id;
            if (byFolderName.Count > 1)
                throw new BadInputException($"several datasets end in '{asked}': {string.Join(", ", byFolderName.Select(d => d.Name))}; give the whole name");
            throw new BadInputException($"no dataset named '{asked}'; {await KnownAsync(db, cancellationToken)}");
        }
    }

    /// <summary>"known datasets: a, b, c" (the first <see cref="NamesListed"/>), or that there are none.</summary>
    public static async Task<string> KnownAsync(FerDbContext db, CancellationToken cancellationToken)
    {
        var known = await db.Datasets.AsNoTracking().OrderBy(d => d.Container).ThenBy(d => d.Name)
            .Select(d => new { d.Container, d.Name }).Take(NamesListed + 1).ToListAsync(cancellationToken);
        if (known.Count == 0)
            return "the database has no datasets yet";
        var names = known.Take(NamesListed).Select(d => d.Container == LocalFolderImageSource.Container ? d.Name : $"{d.Container}/{d.Name}");
        var more = known.Count > NamesListed ? $" and {await db.Datasets.CountAsync(cancellationToken) - NamesListed} more" : "";
        return $"known datasets: {string.Join(", ", names)}{more}";
    }
}
